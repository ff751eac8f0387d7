package dev.kemi.runtime.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Open TCP connections by peer address, accepted and connected alike, so responses go back over
 * the request's connection and new requests to a peer reuse one (RFC 3261 §18.2.2, §18.1.1).
 * The value is the connect future (already succeeded for accepted connections): sends wait on it.
 */
final class TcpConnections {
    /** The connection id a channel got (Kamailio's tcp connection id), read by the receiver. */
    static final AttributeKey<Integer> ID = AttributeKey.valueOf("kemi.tcp.id");
    private final ConcurrentHashMap<InetSocketAddress, ChannelFuture> byPeer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Channel> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId;
    private final AtomicInteger open = new AtomicInteger();
    /** Accepted connections per source IP (Kamailio 5.8's tcp_accept_iplimit counts those only). */
    private final ConcurrentHashMap<java.net.InetAddress, Integer> acceptedFrom = new ConcurrentHashMap<>();
    private final int max;
    private final int perIpMax;

    /** @param perIpMax accepted connections from one IP at most, 0 = no limit */
    TcpConnections(int max, int perIpMax) {
        this(max, perIpMax, new AtomicInteger());
    }

    /** @param ids connection ids, shared with the other transports' tables so an id names one connection */
    TcpConnections(int max, int perIpMax, AtomicInteger ids) {
        this.max = max;
        this.perIpMax = perIpMax;
        this.nextId = ids;
    }

    ChannelFuture get(InetSocketAddress peer) {
        return byPeer.get(peer);
    }

    /** The open connection with that id, or null. */
    Channel byId(int id) {
        Channel ch = byId.get(id);
        return ch != null && ch.isActive() ? ch : null;
    }

    /**
     * The connection to a peer, opening one with {@code connect} if there is none and the limit
     * allows; null if at the limit.
     */
    ChannelFuture getOrConnect(InetSocketAddress peer, Function<InetSocketAddress, ChannelFuture> connect) {
        return byPeer.computeIfAbsent(peer, p -> admit() ? connect.apply(p) : null);
    }

    /** Drops that entry (a failed connect) from the table; the count drops when it closes. */
    void forget(InetSocketAddress peer, ChannelFuture entry) {
        byPeer.remove(peer, entry);
    }

    /** Why an accepted connection was refused, or null when it was registered. */
    enum Refusal { MAX_CONNECTIONS, IP_LIMIT }

    /** Registers an accepted connection; a refusal (the caller closes it) if at a limit. */
    Refusal accepted(Channel ch) {
        InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
        java.net.InetAddress ip = peer.getAddress();
        if (acceptedFrom.merge(ip, 1, Integer::sum) > perIpMax && perIpMax > 0) {
            releaseIp(ip);
            return Refusal.IP_LIMIT;
        }
        if (!admit()) {
            releaseIp(ip);
            return Refusal.MAX_CONNECTIONS;
        }
        byPeer.put(peer, ch.newSucceededFuture());
        releaseOnClose(ch, peer);
        ch.closeFuture().addListener(f -> releaseIp(ip));
        return null;
    }

    private void releaseIp(java.net.InetAddress ip) {
        acceptedFrom.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Called for an outbound channel once created (it was admitted in getOrConnect). */
    void connecting(Channel ch, InetSocketAddress peer) {
        releaseOnClose(ch, peer);
    }

    /** Every connection currently in the table. */
    java.util.List<Channel> channels() {
        return byPeer.values().stream().map(ChannelFuture::channel).toList();
    }

    int size() {
        return open.get();
    }

    private boolean admit() {
        while (true) {
            int n = open.get();
            if (n >= max) return false;
            if (open.compareAndSet(n, n + 1)) return true;
        }
    }

    private void releaseOnClose(Channel ch, InetSocketAddress peer) {
        int id = nextId.incrementAndGet() & Integer.MAX_VALUE;
        ch.attr(ID).set(id);
        byId.put(id, ch);
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            byId.remove(id, ch);
            byPeer.computeIfPresent(peer, (k, v) -> v.channel() == ch ? null : v);
        });
    }
}
