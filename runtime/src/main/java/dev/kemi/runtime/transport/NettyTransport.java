package dev.kemi.runtime.transport;

import dev.kemi.runtime.stats.Statistics;
import dev.kemi.runtime.transport.tls.TlsChannels;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import dev.kemi.runtime.transport.ws.WsPipeline;
import dev.kemi.runtime.transport.ws.WsSession;
import dev.kemi.runtime.transport.ws.WsSettings;
import dev.kemi.runtime.transport.ws.WsUpgrader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP and TCP listeners on Netty event loops, and the {@link SipSender} over them. Event loops
 * only move bytes: every received message goes to the {@link InboundSink}. Lifecycle:
 * {@link #bind()} (nothing is read yet), {@link #startReading()}, {@link #stopReading()} (stop
 * accepting and reading; sending still works), {@link #close()}.
 */
public final class NettyTransport implements SipSender, WsUpgrader, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
    private static final int MAX_DATAGRAM = 65_535;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /**
     * How long a send that opens a TCP connection waits for the connect's outcome: a refusal
     * comes within a round trip, but the event loop may be slow to see it on a busy machine.
     */
    private static final int CONNECT_RESULT_WAIT_MS = 1_000;
    private static final int UDP_RCVBUF = 4 * 1024 * 1024;
    /**
     * The IP TOS (IPv6 traffic class) of every SIP socket: Kamailio's default {@code tos},
     * IPTOS_LOWDELAY, which its udp_init and tcp_main set on each socket (a packet capture shows
     * it on everything the proxy sends, its nathelper keepalives too).
     */
    static final int IP_TOS = 0x10;

    private final TransportConfig cfg;
    private final InboundSink sink;
    private final IoKind io;
    private final TcpConnections tcp;
    /** TLS connections: a table of their own, so a peer's TCP and TLS connections are told apart */
    private final TcpConnections tls;
    private volatile TlsChannels tlsChannels;
    private final WriteQueueGuard.Limits writeLimits;
    private final LongAdder localRejects;
    private final LongAdder conTimeouts;
    private volatile boolean reading = true;
    private final SourceWarnings refusals = new SourceWarnings(log);
    private final Map<ListenSocket, Channel[]> udpChannels = new HashMap<>();
    private final List<Channel> servers = new ArrayList<>();
    private EventLoopGroup udpGroup;
    private EventLoopGroup tcpGroup;
    private volatile List<ListenSocket> sockets = List.of();

    public NettyTransport(TransportConfig cfg, InboundSink sink) {
        this(cfg, sink, new Statistics());
    }

    /** @param stats where the tcp:* statistics (Kamailio's names) are registered */
    public NettyTransport(TransportConfig cfg, InboundSink sink, Statistics stats) {
        this(cfg, sink, IoKind.best(), stats);
    }

    NettyTransport(TransportConfig cfg, InboundSink sink, IoKind io) {
        this(cfg, sink, io, new Statistics());
    }

    private NettyTransport(TransportConfig cfg, InboundSink sink, IoKind io, Statistics stats) {
        this.cfg = cfg;
        this.sink = sink;
        this.io = io;
        AtomicInteger ids = new AtomicInteger();
        this.tcp = new TcpConnections(cfg.tcpMaxConnections(), cfg.tcpAcceptIplimit(), ids);
        this.tls = new TcpConnections(cfg.tcpMaxConnections(), cfg.tcpAcceptIplimit(), ids);
        AtomicLong totalQueued = new AtomicLong();
        // without tcp_async the sender waits for its write (sendTcp): nothing queues up, only the timeout applies
        writeLimits = new WriteQueueGuard.Limits(cfg.tcpAsync() ? cfg.tcpConnWqMax() : Integer.MAX_VALUE,
                cfg.tcpAsync() ? cfg.tcpWqMax() : Integer.MAX_VALUE, TimeUnit.SECONDS.toNanos(cfg.tcpSendTimeout()),
                totalQueued, stats.counter("tcp", "sendq_full"), stats.counter("tcp", "send_timeout"), refusals);
        localRejects = stats.counter("tcp", "local_reject");
        conTimeouts = stats.counter("tcp", "con_timeout");
        stats.gauge("tcp", "current_opened_connections", () -> tcp.size() + tls.size());
        stats.gauge("tcp", "current_write_queue_size", totalQueued::get);
    }

    /** Binds every socket (port 0 gets a free port) with reading off; returns the bound sockets. */
    public List<ListenSocket> bind() throws IOException {
        udpGroup = new MultiThreadIoEventLoopGroup(cfg.ioThreads(), new DefaultThreadFactory("udp-io", true), io.handlers());
        tcpGroup = new MultiThreadIoEventLoopGroup(cfg.tcpIoThreads(), new DefaultThreadFactory("tcp-io", true), io.handlers());
        List<ListenSocket> bound = new ArrayList<>();
        try {
            for (ListenSocket s : cfg.sockets()) {
                bound.add(s.proto() == Protocol.UDP ? bindUdp(s) : bindTcp(s));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        sockets = List.copyOf(bound);
        log.info("transport {}: {} sockets, {} UDP channel(s) per socket", io.name(), bound.size(), udpCopies());
        return sockets;
    }

    /** TLS for the tls: sockets and sends (the tls module's); before {@link #startReading()}. */
    public void useTls(TlsChannels channels) {
        tlsChannels = channels;
    }

    public void startReading() {
        if (tlsChannels == null && sockets.stream().anyMatch(s -> s.proto() == Protocol.TLS)) {
            throw new IllegalStateException("listen=tls: needs the tls module: add loadmodule \"tls.so\"");
        }
        reading = true;
        udpChannels.values().forEach(chs -> { for (Channel c : chs) c.config().setAutoRead(true); });
        servers.forEach(c -> c.config().setAutoRead(true));
    }

    /** Stops accepting connections and reading; replies to messages in flight can still be sent. */
    public void stopReading() {
        reading = false;
        servers.forEach(Channel::close);
        udpChannels.values().forEach(chs -> { for (Channel c : chs) c.config().setAutoRead(false); });
        for (Channel ch : tcp.channels()) ch.config().setAutoRead(false);
        for (Channel ch : tls.channels()) ch.config().setAutoRead(false);
    }

    /** Closes every channel after flushing what is queued. */
    @Override
    public void close() {
        // closed one by one and awaited: a socket left bound with SO_REUSEPORT would keep taking
        // its share of the datagrams after we are gone
        List<ChannelFuture> closing = new ArrayList<>();
        udpChannels.values().forEach(chs -> { for (Channel c : chs) closing.add(c.close()); });
        servers.forEach(c -> closing.add(c.close()));
        for (ChannelFuture f : closing) {
            if (!f.awaitUninterruptibly(5, TimeUnit.SECONDS)) log.warn("socket {} did not close in 5 s", f.channel().localAddress());
        }
        for (EventLoopGroup g : new EventLoopGroup[] {udpGroup, tcpGroup}) {
            if (g != null) g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : new EventLoopGroup[] {udpGroup, tcpGroup}) {
            if (g != null) g.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    public List<ListenSocket> sockets() {
        return sockets;
    }

    /** Open TCP and TLS connections (both directions), as Kamailio's tcp:current_opened_connections. */
    public int tcpConnectionCount() {
        return tcp.size() + tls.size();
    }

    /**
     * First socket of the protocol in the peer's address family, else the first of the protocol.
     * WS and WSS have no listeners of their own: they are the TCP and TLS ones, upgraded.
     */
    public ListenSocket socketFor(Protocol proto, InetAddress peer) {
        if (proto == Protocol.WS || proto == Protocol.WSS) {
            ListenSocket s = socketFor(proto == Protocol.WS ? Protocol.TCP : Protocol.TLS, peer);
            return s == null ? null : WsPipeline.socketOf(s);
        }
        ListenSocket any = null;
        boolean v6 = peer instanceof Inet6Address;
        for (ListenSocket s : sockets) {
            if (s.proto() != proto) continue;
            if ((s.address().getAddress() instanceof Inet6Address) == v6) return s;
            if (any == null) any = s;
        }
        return any;
    }

    @Override
    public boolean send(Destination dst, byte[] message, Runnable onLateFailure) {
        return switch (dst.proto()) {
            case UDP -> sendUdp(dst, message, onLateFailure);
            case TCP -> sendTcp(dst, message, onLateFailure);
            case WS, WSS -> sendWs(dst, message, onLateFailure);
            case TLS -> tlsChannels != null && sendTcp(dst, message, onLateFailure);
            default -> false;
        };
    }

    private boolean sendUdp(Destination dst, byte[] message, Runnable onLateFailure) {
        ListenSocket from = dst.socket() != null && dst.socket().proto() == Protocol.UDP
                ? dst.socket() : socketFor(Protocol.UDP, dst.address().getAddress());
        Channel[] chs = from == null ? null : udpChannels.get(from);
        if (chs == null) return false;
        // one channel per peer: messages to a peer leave in the order they were sent (180 before 200)
        Channel ch = chs.length == 1 ? chs[0] : chs[Math.floorMod(dst.address().hashCode(), chs.length)];
        if (DirectDatagramSend.send(ch, message, dst.address())) return true;
        DatagramPacket p = new DatagramPacket(Unpooled.wrappedBuffer(message), dst.address());
        if (onLateFailure == null) {
            ch.writeAndFlush(p, ch.voidPromise());
        } else {
            ch.writeAndFlush(p).addListener(f -> { if (!f.isSuccess()) onLateFailure.run(); });
        }
        return true;
    }

    /**
     * Only over the connection the browser opened: a proxy never connects out over WebSocket.
     * A ;transport=ws target may be a WSS connection (RFC 7118 has no "wss"): as Kamailio's
     * PROTO_WS send, the connection found decides.
     */
    private boolean sendWs(Destination dst, byte[] message, Runnable onLateFailure) {
        boolean onTls = dst.connectionId() > 0 ? tls.byId(dst.connectionId()) != null
                : tls.get(dst.address()) != null && (dst.proto() == Protocol.WSS || tcp.get(dst.address()) == null);
        return sendTcp(new Destination(onTls ? Protocol.WSS : Protocol.WS, dst.address(), dst.socket(), true, dst.close(),
                dst.connectionId()), message, onLateFailure);
    }

    private TcpConnections connections(Protocol proto) {
        return proto == Protocol.TLS || proto == Protocol.WSS ? tls : tcp;
    }

    /** Over TCP or TLS (dst.proto()), WS and WSS over the TCP and TLS connections they upgraded. */
    private boolean sendTcp(Destination dst, byte[] message, Runnable onLateFailure) {
        TcpConnections tcp = connections(dst.proto());
        Channel byId = dst.connectionId() > 0 ? tcp.byId(dst.connectionId()) : null;
        ChannelFuture ready = byId != null ? byId.newSucceededFuture() : tcp.get(dst.address());
        if (ready != null && ready.isDone() && !ready.isSuccess()) {
            tcp.forget(dst.address(), ready); // failed connect, not yet closed: as no connection
            ready = null;
        }
        if (ready == null) {
            if (dst.noConnect()) return false;
            ListenSocket from = dst.socket() != null && dst.socket().proto() == dst.proto()
                    ? dst.socket() : socketFor(dst.proto(), dst.address().getAddress());
            if (from == null) return false;
            boolean[] opened = {false};
            ready = tcp.getOrConnect(dst.address(), peer -> {
                opened[0] = true;
                return connect(from, peer);
            });
            if (ready == null) {
                refusals.warn("tcp_max_connections", "TCP connection to " + dst.address()
                        + " not opened: tcp_max_connections (" + cfg.tcpMaxConnections() + ") reached");
                return false;
            }
            if (opened[0] && failedAtOnce(ready)) return false;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        boolean close = dst.close();
        CompletableFuture<Boolean> written = cfg.tcpAsync() || ready.channel().eventLoop().inEventLoop()
                ? null : new CompletableFuture<>();
        ready.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                buf.release();
                if (onLateFailure != null) onLateFailure.run();
                return;
            }
            ChannelFuture w = f.channel().writeAndFlush(buf);
            if (close) w.addListener(ChannelFutureListener.CLOSE);
            if (onLateFailure != null) w.addListener(wf -> { if (!wf.isSuccess()) onLateFailure.run(); });
            if (written != null) w.addListener(wf -> written.complete(wf.isSuccess()));
        });
        return written == null || awaitWrite(written, ready.channel());
    }

    /**
     * tcp_async=no: the sending worker waits for its write as Kamailio's blocking send does; the
     * connection's {@link WriteQueueGuard} fails it after tcp_send_timeout without progress.
     */
    private boolean awaitWrite(CompletableFuture<Boolean> written, Channel ch) {
        try {
            return written.get(cfg.tcpSendTimeout() + 1L, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            ch.close();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether a connect we just started failed at once, as a refused connect on loopback or a
     * LAN does. Kamailio learns that synchronously (its first write follows the connect), so its
     * send — and t_relay — fail; a connect still pending after {@link #CONNECT_RESULT_WAIT_MS}
     * completes in the background (the worker is not held for tcp_connect_timeout).
     */
    private static boolean failedAtOnce(ChannelFuture connecting) {
        if (!connecting.channel().eventLoop().inEventLoop()) connecting.awaitUninterruptibly(CONNECT_RESULT_WAIT_MS);
        return connecting.isDone() && !connecting.isSuccess();
    }

    private ChannelFuture connect(ListenSocket from, InetSocketAddress peer) {
        Bootstrap b = new Bootstrap().group(tcpGroup).channel(io.client())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.IP_TOS, IP_TOS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(connectionInit(from, false, peer));
        ChannelFuture f = b.connect(peer, new InetSocketAddress(from.address().getAddress(), 0));
        f.addListener(r -> { if (!r.isSuccess()) log.debug("TCP connect to {} failed: {}", peer, r.cause().toString()); });
        return f;
    }

    private int udpCopies() {
        return io.reusePort() ? cfg.ioThreads() : 1;
    }

    /** The IP TOS of a bound UDP socket's channels, each as the kernel reports it (for tests). */
    List<Integer> udpTos(ListenSocket s) {
        List<Integer> out = new ArrayList<>();
        for (Channel ch : udpChannels.get(s)) out.add(ch.config().getOption(ChannelOption.IP_TOS));
        return out;
    }

    private ListenSocket bindUdp(ListenSocket s) throws IOException {
        int copies = udpCopies();
        Channel[] chs = new Channel[copies];
        InetSocketAddress addr = s.address();
        ListenSocket actual = s;
        if (io.reusePort() && addr.getPort() != 0) refuseIfTaken(s);
        for (int i = 0; i < copies; i++) {
            Bootstrap b = new Bootstrap().group(udpGroup).channel(io.datagram())
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.SO_RCVBUF, UDP_RCVBUF)
                    .option(ChannelOption.IP_TOS, IP_TOS)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
            if (io.reusePort()) b.option(EpollChannelOption.SO_REUSEPORT, true);
            // the receiver needs the bound port (cfg port 0): added after bind, before reading starts
            b.handler(new ChannelInboundHandlerAdapter());
            chs[i] = bindOrFail(b.bind(addr), s);
            if (i == 0) {
                addr = (InetSocketAddress) chs[0].localAddress();
                actual = withAddress(s, addr);
            }
        }
        UdpReceiver receiver = new UdpReceiver(actual, sink);
        for (Channel ch : chs) ch.pipeline().addLast(receiver);
        udpChannels.put(actual, chs);
        return actual;
    }

    /**
     * SO_REUSEPORT would let this bind share a port another process (another proxy of the same
     * user) already holds and split its traffic; a plain bind fails on it as Kamailio's does.
     */
    private static void refuseIfTaken(ListenSocket s) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(s.address());
        } catch (IOException e) {
            throw new IOException("cannot bind " + s + ": " + e.getMessage(), e);
        }
    }

    private ListenSocket bindTcp(ListenSocket s) throws IOException {
        ListenSocket[] actual = {s};
        ServerBootstrap b = new ServerBootstrap().group(tcpGroup).channel(io.server())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.IP_TOS, IP_TOS)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        TcpConnections.Refusal refused = connections(s.proto()).accepted(ch);
                        if (refused != null) {
                            localRejects.increment();
                            if (refused == TcpConnections.Refusal.IP_LIMIT) {
                                InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
                                refusals.warn(peer.getAddress().getHostAddress(), "TCP connection from " + peer
                                        + " refused: tcp_accept_iplimit (" + cfg.tcpAcceptIplimit() + ") reached");
                            } else {
                                refusals.warn("tcp_max_connections", "TCP connection from " + ch.remoteAddress()
                                        + " refused: tcp_max_connections (" + cfg.tcpMaxConnections() + ") reached");
                            }
                            ch.close();
                            return;
                        }
                        addConnectionHandlers(ch, actual[0], null);
                    }
                });
        Channel server = bindOrFail(b.bind(s.address()), s);
        actual[0] = withAddress(s, (InetSocketAddress) server.localAddress());
        servers.add(server);
        return actual[0];
    }

    private ChannelInitializer<Channel> connectionInit(ListenSocket from, boolean accepted, InetSocketAddress peer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!accepted) connections(from.proto()).connecting(ch, peer);
                addConnectionHandlers(ch, from, accepted ? null : peer);
            }
        };
    }

    /** @param connectedTo the peer of a connection we open, null for an accepted one */
    private void addConnectionHandlers(Channel ch, ListenSocket socket, InetSocketAddress connectedTo) {
        if (socket.proto() == Protocol.TLS) {
            TlsChannels t = tlsChannels;
            if (t == null) {
                ch.close();
                return;
            }
            int id = ch.attr(TcpConnections.ID).get();
            if (connectedTo == null) t.initAccepted(ch, socket, id);
            else t.initConnected(ch, socket, connectedTo, id);
        }
        ch.pipeline().addLast(new WriteQueueGuard(writeLimits));
        ch.pipeline().addLast(new IdleStateHandler(0, 0, cfg.tcpConnectionLifetime(), TimeUnit.SECONDS));
        ch.pipeline().addLast(new SipFrameDecoder(cfg.tcpAcceptNoCl()));
        ch.pipeline().addLast(new TcpReceiver(socket, sink, () -> reading, conTimeouts));
    }

    @Override
    public WsSession upgradeToWebSocket(int connectionId, byte[] reply, WsSettings settings) {
        Channel onTcp = tcp.byId(connectionId);
        Channel ch = onTcp != null ? onTcp : tls.byId(connectionId); // WSS: ids are unique across both tables
        TcpReceiver receiver = ch == null ? null : ch.pipeline().get(TcpReceiver.class);
        if (receiver == null) return null;
        ListenSocket ws = WsPipeline.socketOf(receiver.socket());
        WsSession session = WsPipeline.session(ch, connectionId, ws, settings);
        ch.eventLoop().execute(() -> {
            // the 101 leaves as plain bytes; the client sends no frame before it has it
            ch.writeAndFlush(Unpooled.wrappedBuffer(reply));
            if (ch.pipeline().get(TcpReceiver.class) == null) return;
            ch.pipeline().remove(TcpReceiver.class);
            WsPipeline.install(ch.pipeline(), session, settings, sink, ws, () -> { if (reading) ch.config().setAutoRead(true); });
            ch.pipeline().remove(SipFrameDecoder.class); // bytes it still held go on to the frame decoder
        });
        return session;
    }

    private static Channel bindOrFail(ChannelFuture f, ListenSocket s) throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot bind " + s + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    private static ListenSocket withAddress(ListenSocket s, InetSocketAddress a) {
        return new ListenSocket(s.proto(), a, s.advertiseHost(), s.advertisePort(), s.name());
    }

    @Override
    public boolean addTcpAlias(int connectionId, int port) {
        return tcp.alias(connectionId, port);
    }
}
