package dev.kemi.runtime.core;

import dev.kemi.runtime.stats.Statistics;
import dev.kemi.runtime.transport.SourceWarnings;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.runtime.transport.InboundSink;
import dev.kemi.runtime.transport.KernelRoute;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.LocalAddresses;
import dev.kemi.runtime.transport.NettyTransport;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.SipSender;
import dev.kemi.runtime.transport.TransportConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: sockets, workers, timers and the current script. Event loops hand each
 * message to the worker that owns its Call-ID; the worker runs the script. This is the
 * {@link ProxyServices} every module gets.
 */
public final class SipProxy implements ProxyServices, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipProxy.class);
    private final Statistics statistics = new Statistics();
    private static final int QUEUE_PER_WORKER = 20_000;
    /**
     * Message bytes queued per worker: datagrams past it are shed, TCP reading pauses at an eighth of it.
     * 8 MB is over 10 000 typical requests, more than a worker gets through in the 500 ms a datagram
     * may wait; a flood of 60 KB datagrams holds 2 x 8 MB, not 20 000 x 60 KB per worker.
     */
    private static final long QUEUE_BYTES_PER_WORKER = 8L << 20;
    /**
     * A datagram that waited longer than T1 (500 ms) for its worker is dropped unprocessed: by then
     * its sender has retransmitted it (RFC 3261 timers over UDP) and the copy is queued behind it.
     * This bounds the queueing delay under overload, so the proxy sheds load instead of serving only
     * stale messages (and the retransmissions they cause) and recovers as soon as the load drops.
     * Reliable transports are not retransmitted by SIP: their messages are always processed. Nor
     * are replies and ACKs, which no timer of their sender repeats on demand (a 2xx's ACK, a
     * keepalive's 200): those are processed however long they waited.
     */
    private static final long STALE_DATAGRAM_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Globals globals;
    private final java.util.Map<String, String> defines;
    private final FunctionTable functions;
    private final AtomicReference<RoutingScript> script;
    private final WorkerPool workers;
    private final ScheduledThreadPoolExecutor timers;
    private final TimerWheel wheel;
    private final NettyTransport transport;
    private final List<Object> modules;
    private final boolean mhomed;
    /** The global force_rport, read once: every request and reply asks. */
    private final boolean forceRport;
    private final SourceWarnings overload = new SourceWarnings(log);
    private final LongAdder dropRequests;
    private final LongAdder dropReplies;
    private volatile MessageProcessor processor;
    private volatile LocalAddresses self;
    private volatile boolean stopped;
    private final java.time.Instant startedAt = java.time.Instant.now();
    private List<dev.kemi.runtime.transport.Alias> aliases = List.of();
    private dev.kemi.runtime.rpc.RpcRegistry rpc;
    /** Opened when start() ends: ctl/jsonrpcs bind during init, but answer only a started proxy. */
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    private volatile Thread starter;

    private SipProxy(ProxyConfig cfg, TransportConfig tc, int children) {
        globals = cfg.globals();
        defines = cfg.defines();
        functions = cfg.functions();
        script = new AtomicReference<>(cfg.script());
        modules = List.copyOf(cfg.modules());
        workers = new WorkerPool(children, QUEUE_PER_WORKER, QUEUE_BYTES_PER_WORKER);
        timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "timer");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        wheel = new TimerWheel(workers);
        timers.scheduleAtFixedRate(wheel::advance, TimerWheel.TICK_MS, TimerWheel.TICK_MS, TimeUnit.MILLISECONDS);
        transport = new NettyTransport(tc, new InboundSink() {
            @Override
            public void onMessage(byte[] data, ReceiveInfo from) {
                received(data, from);
            }

            @Override
            public boolean onStreamMessage(byte[] data, ReceiveInfo from, Runnable resume) {
                return receivedFromStream(data, from, resume);
            }
        }, statistics);
        dropRequests = statistics.counter("core", "drop_requests");
        dropReplies = statistics.counter("core", "drop_replies");
        mhomed = globals.boolValue("mhomed", false);
        forceRport = ProxyServices.super.forceRport();
    }

    /**
     * Binds the sockets, initialises the modules, then starts receiving.
     *
     * @throws dev.kemi.api.ScriptException for bad transport settings (file:line)
     * @throws IOException when a socket cannot be bound
     */
    public static SipProxy start(ProxyConfig cfg) throws IOException {
        TransportConfig tc = TransportSettings.from(cfg.globals());
        int children = Math.max(1, cfg.globals().intValue("children", Runtime.getRuntime().availableProcessors()));
        SipProxy p = new SipProxy(cfg, tc, children);
        p.starter = Thread.currentThread();
        try {
            List<ListenSocket> bound = p.transport.bind();
            p.self = new LocalAddresses(bound, tc.aliases());
            p.aliases = List.copyOf(tc.aliases());
            List<ReplyHandler> replyHandlers = new ArrayList<>();
            List<RequestFinisher> finishers = new ArrayList<>();
            List<NonSipHandler> nonSip = new ArrayList<>();
            for (Object m : cfg.modules()) {
                if (m instanceof RuntimeModule rm) rm.init(p);
                if (m instanceof ReplyHandler h) replyHandlers.add(h);
                if (m instanceof RequestFinisher f) finishers.add(f);
                if (m instanceof NonSipHandler h) nonSip.add(h);
            }
            p.processor = new MessageProcessor(p, replyHandlers, finishers,
                    new ReplyRelay(p, cfg.globals().boolValue("check_via", false)), nonSip);
            p.script.get().prepareWorkers(children); // not on each worker's first message, under full load
            p.transport.startReading();
        } catch (IOException | RuntimeException e) {
            p.shutdown();
            throw e;
        } finally {
            p.started.countDown();
        }
        log.info("started: {} workers, sockets {}", children, p.sockets());
        return p;
    }

    /** Installs a new script for the messages that arrive from now on; returns the previous one. */
    public RoutingScript replaceScript(RoutingScript next) {
        return script.getAndSet(next);
    }

    public int workerCount() {
        return workers.size();
    }

    @Override
    public void useTls(dev.kemi.runtime.transport.tls.TlsChannels tls) {
        transport.useTls(tls);
    }

    /** Open TCP connections, both directions. */
    public int tcpConnectionCount() {
        return transport.tcpConnectionCount();
    }

    /**
     * Stops cleanly: no new messages, queued ones are processed (their replies still go out),
     * then the sockets close. Idempotent.
     */
    @Override
    public void close() {
        if (stopped) return;
        stopped = true;
        transport.stopReading();
        shutdown();
    }

    private void shutdown() {
        workers.shutdown(5, TimeUnit.SECONDS);
        timers.shutdownNow();
        transport.close();
        script.get().close();
        // reverse load order, as Kamailio destroys modules: users before the DB drivers they write through
        for (Object m : modules.reversed()) {
            if (m instanceof RuntimeModule rm) rm.shutdown();
        }
    }

    /** A datagram: shed (and counted as core:drop_requests / drop_replies) when its worker's queue is full. */
    private void received(byte[] data, ReceiveInfo from) {
        if (from.socket().proto().reliable()) {
            receivedFromStream(data, from, () -> { });
            return;
        }
        MessageProcessor p = processor;
        long arrived = System.nanoTime();
        Runnable task = () -> {
            if (System.nanoTime() - arrived > STALE_DATAGRAM_NANOS && retransmittedBySender(data)) {
                shed(data);
                overload.warn("stale datagrams", "overloaded: datagrams waiting longer than "
                        + TimeUnit.NANOSECONDS.toMillis(STALE_DATAGRAM_NANOS) + " ms for a worker are dropped");
            } else {
                p.process(data, from);
            }
        };
        if (!workers.offer(CallIdHash.of(data), task, data.length, from.source().getAddress()) && !stopped) {
            shed(data);
            overload.warn("worker queues", "worker queue full: message from " + from.source() + " dropped");
        }
    }

    /** A request other than ACK: its sender's retransmission timer sends it again. */
    private static boolean retransmittedBySender(byte[] data) {
        return !startsWith(data, "SIP/") && !startsWith(data, "ACK ");
    }

    private static boolean startsWith(byte[] data, String prefix) {
        if (data.length < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (data[i] != prefix.charAt(i)) return false;
        return true;
    }

    /** A message from a stream: always queued; false pauses reading from its connection (backpressure). */
    private boolean receivedFromStream(byte[] data, ReceiveInfo from, Runnable resume) {
        MessageProcessor p = processor;
        return workers.push(CallIdHash.of(data), () -> p.process(data, from), data.length, resume);
    }

    private void shed(byte[] data) {
        boolean reply = data.length > 4 && data[0] == 'S' && data[1] == 'I' && data[2] == 'P' && data[3] == '/';
        (reply ? dropReplies : dropRequests).increment();
    }

    // ---- ProxyServices

    @Override
    public SipSender sender() {
        return transport;
    }

    @Override
    public List<ListenSocket> sockets() {
        return transport.sockets();
    }

    @Override
    public boolean isMyself(String host, int port, Protocol proto) {
        return self.isMyself(host, port, proto);
    }

    @Override
    public ListenSocket socketFor(Protocol proto, InetAddress peer) {
        return transport.socketFor(proto, peer);
    }

    @Override
    public ListenSocket routedSocket(Protocol proto, InetAddress peer) {
        if (!mhomed) return null;
        InetAddress src = KernelRoute.sourceFor(new InetSocketAddress(peer, 5060));
        if (src == null) return null;
        for (ListenSocket s : transport.sockets()) {
            if (s.proto() == proto && s.address().getAddress().equals(src)) return s;
        }
        return null;
    }

    @Override
    public RoutingScript script() {
        return script.get();
    }

    @Override
    public FunctionTable functions() {
        return functions;
    }

    @Override
    public void runOnWorker(String key, Runnable task) {
        if (!workers.execute(CallIdHash.of(key), task) && !stopped) {
            overload.warn("worker queues", "worker queue full: task for " + key + " dropped");
        }
    }

    @Override
    public ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public boolean forceRport() {
        return forceRport;
    }

    @Override
    public WorkerTimers workerTimers() {
        return wheel;
    }

    @Override
    public java.util.Map<String, String> cfgDefines() {
        return defines;
    }

    @Override
    public String globalParam(String name) {
        String v = globals.get(name);
        return v == null ? null : Globals.unquote(v);
    }

    /**
     * Built on first use, once every module has initialised and registered its commands: a
     * control connection that comes in while modules still start (permissions loading its
     * tables) waits for them, as Kamailio's RPC processes only serve after every mod_init.
     */
    @Override
    public dev.kemi.runtime.rpc.RpcRegistry rpc() {
        if (Thread.currentThread() != starter) {
            try {
                started.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the proxy starts", e);
            }
        }
        return registry();
    }

    private synchronized dev.kemi.runtime.rpc.RpcRegistry registry() {
        if (rpc == null) rpc = dev.kemi.runtime.rpc.ProxyRpc.registry(this, startedAt, aliases, this::tcpConnectionCount);
        return rpc;
    }

    @Override
    public Statistics statistics() {
        return statistics;
    }
}
