package dev.kemi.runtime.core;

import dev.kemi.runtime.stats.Statistics;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.RoutingScript;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.LocalAddresses;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.SipSender;
import dev.kemi.runtime.transport.TransportConfig;
import java.util.Map;
import java.util.HashMap;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The proxy without sockets and threads, for `kemi compare`: the caller hands in each received
 * message and it is processed inline on the caller's thread, worker tasks included; sending and
 * timers are the caller's (a virtual network and clock), so a run is deterministic.
 */
public final class InlineProxy implements ProxyServices, AutoCloseable {
    private final Map<InetSocketAddress, Integer> connections = new HashMap<>();
    private final Statistics statistics = new Statistics();
    private final Globals globals;
    private final java.util.Map<String, String> defines;
    private final FunctionTable functions;
    private final RoutingScript script;
    private final List<ListenSocket> sockets;
    private final LocalAddresses self;
    private final SipSender sender;
    private final ScheduledExecutorService timers;
    private final List<Object> modules;
    private MessageProcessor processor;

    private InlineProxy(ProxyConfig cfg, TransportConfig tc, SipSender sender, ScheduledExecutorService timers) {
        this.globals = cfg.globals();
        this.defines = cfg.defines();
        this.functions = cfg.functions();
        this.script = cfg.script();
        this.sockets = List.copyOf(tc.sockets());
        this.self = new LocalAddresses(sockets, tc.aliases());
        this.sender = sender;
        this.timers = timers;
        this.modules = List.copyOf(cfg.modules());
    }

    /** Initialises the modules as {@link SipProxy#start} does, without binding anything. */
    public static InlineProxy start(ProxyConfig cfg, SipSender sender, ScheduledExecutorService timers) {
        InlineProxy p = new InlineProxy(cfg, TransportSettings.from(cfg.globals()), sender, timers);
        List<ReplyHandler> handlers = new ArrayList<>();
        List<RequestFinisher> finishers = new ArrayList<>();
        try {
            for (Object m : cfg.modules()) {
                if (m instanceof RuntimeModule rm) rm.init(p);
                if (m instanceof ReplyHandler h) handlers.add(h);
                if (m instanceof RequestFinisher f) finishers.add(f);
            }
        } catch (RuntimeException e) {
            p.close(); // what the modules before started (a relay on its fixed port) must not outlive this instance
            throw e;
        }
        p.processor = new MessageProcessor(p, handlers, finishers, new ReplyRelay(p, cfg.globals().boolValue("check_via", false)), List.of());
        return p;
    }

    /** Processes one message received from {@code from} on the local socket {@code at}. */
    public void receive(byte[] data, InetSocketAddress from, ListenSocket at) {
        // a stream peer gets a connection id, as over real TCP: relayed requests carry it in ;i=
        int connection = at.proto().reliable() ? connections.computeIfAbsent(from, k -> connections.size() + 1) : 0;
        processor.process(data, new ReceiveInfo(from, at, connection));
    }

    @Override
    public void close() {
        script.close();
        // reverse load order, as Kamailio destroys modules: users before the DB drivers they write through
        for (Object m : modules.reversed()) {
            if (m instanceof RuntimeModule rm) rm.shutdown();
        }
    }

    @Override
    public SipSender sender() {
        return sender;
    }

    @Override
    public List<ListenSocket> sockets() {
        return sockets;
    }

    @Override
    public boolean isMyself(String host, int port, Protocol proto) {
        return self.isMyself(host, port, proto);
    }

    @Override
    public ListenSocket socketFor(Protocol proto, InetAddress peer) {
        ListenSocket any = null;
        for (ListenSocket s : sockets) {
            if (s.proto() != proto) continue;
            if ((s.address().getAddress() instanceof Inet6Address) == (peer instanceof Inet6Address)) return s;
            if (any == null) any = s;
        }
        return any;
    }

    @Override
    public RoutingScript script() {
        return script;
    }

    @Override
    public FunctionTable functions() {
        return functions;
    }

    @Override
    public void runOnWorker(String key, Runnable task) {
        task.run();
    }

    @Override
    public ScheduledExecutorService timers() {
        return timers;
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

    @Override
    public Statistics statistics() {
        return statistics;
    }
}
