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
 */
public record TransportConfig(List<ListenSocket> sockets, List<Alias> aliases, int ioThreads, int tcpIoThreads,
                              int tcpConnectionLifetime, int tcpMaxConnections) {}
