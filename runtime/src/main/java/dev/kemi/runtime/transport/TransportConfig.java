package dev.kemi.runtime.transport;

import java.util.List;

/**
 * Transport settings (read from the cfg globals by {@code core.TransportSettings}).
 *
 * @param sockets                 sockets to bind, in listen= order (port 0 = any free port)
 * @param aliases                 alias= entries, host names used in listen=, and (auto_aliases)
 *                                the reverse-DNS names of the listen addresses
 * @param ioThreads               event-loop threads for UDP; also the number of SO_REUSEPORT
 *                                channels per UDP socket, so receiving spreads over the cores
 * @param tcpIoThreads            event-loop threads for TCP (tcp_children, default: cores)
 * @param tcpConnectionLifetime   seconds a TCP connection may stay idle (tcp_connection_lifetime)
 * @param tcpMaxConnections       open TCP connections at most, both directions (tcp_max_connections)
 * @param tcpAsync                writes are queued per connection (tcp_async, default yes); with
 *                                no, the sending worker waits for its write, up to tcp_send_timeout
 * @param tcpConnWqMax            bytes queued for write on one connection at most (tcp_conn_wq_max)
 * @param tcpWqMax                bytes queued for write on all connections at most (tcp_wq_max)
 * @param tcpSendTimeout          seconds a connection with queued data may make no write progress
 *                                before it is closed (tcp_send_timeout)
 * @param tcpAcceptIplimit        accepted connections from one source IP at most, 0 = no limit
 *                                (tcp_accept_iplimit, as Kamailio 5.8 has it)
 * @param tcpAcceptNoCl           a stream message without Content-Length is taken as bodiless
 *                                (tcp_accept_no_cl=yes); by default the connection is closed, as
 *                                Kamailio's tcp_read does
 */
public record TransportConfig(List<ListenSocket> sockets, List<Alias> aliases, int ioThreads, int tcpIoThreads,
                              int tcpConnectionLifetime, int tcpMaxConnections, boolean tcpAsync, int tcpConnWqMax,
                              int tcpWqMax, int tcpSendTimeout, int tcpAcceptIplimit, boolean tcpAcceptNoCl) {
    public static final int DEFAULT_CONN_WQ_MAX = 32 * 1024;
    public static final int DEFAULT_WQ_MAX = 10 * 1024 * 1024;
    public static final int DEFAULT_SEND_TIMEOUT = 10;
    public static final int DEFAULT_ACCEPT_IPLIMIT = 1024;

    /** With Kamailio's defaults for the write queues, send timeout, per-IP limit and Content-Length rule. */
    public TransportConfig(List<ListenSocket> sockets, List<Alias> aliases, int ioThreads, int tcpIoThreads,
                           int tcpConnectionLifetime, int tcpMaxConnections) {
        this(sockets, aliases, ioThreads, tcpIoThreads, tcpConnectionLifetime, tcpMaxConnections, true,
                DEFAULT_CONN_WQ_MAX, DEFAULT_WQ_MAX, DEFAULT_SEND_TIMEOUT, DEFAULT_ACCEPT_IPLIMIT, false);
    }
}
