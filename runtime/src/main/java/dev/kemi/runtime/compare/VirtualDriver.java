package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** In-process mode: a fresh proxy per run, on the virtual network and clock. */
final class VirtualDriver implements Driver {
    /** Ports handed to UAs declared with port 0; fixed so runs repeat exactly. */
    private static final int FIRST_ANY_PORT = 45060;

    private final ProxyFactory factory;
    private final Path cfg;
    private final VirtualScheduler clock = new VirtualScheduler();
    private final Map<String, InetSocketAddress> uas = new HashMap<>();
    private VirtualNetwork net;
    private ProxyUnderTest proxy;
    private Wire wire;

    VirtualDriver(ProxyFactory factory, Path cfg) {
        this.factory = factory;
        this.cfg = cfg;
    }

    @Override
    public void start(Scenario scenario, Wire wire) throws Exception {
        this.wire = wire;
        net = new VirtualNetwork(clock, wire);
        int any = FIRST_ANY_PORT;
        for (UaSpec u : scenario.uas()) {
            InetSocketAddress a = new InetSocketAddress(u.host(), u.port() == 0 ? any++ : u.port());
            uas.put(u.name(), a);
            net.addUa(u.name(), u.transport(), a, u.answer() != null);
        }
        proxy = factory.start(cfg, net, clock);
        if (proxy.sockets().isEmpty()) throw new IllegalStateException(cfg + ": the proxy has no listening socket");
        net.proxySockets(proxy.sockets());
    }

    ProxyUnderTest proxy() {
        return proxy;
    }

    @Override
    public InetSocketAddress uaAddress(String ua) {
        return uas.get(ua);
    }

    private ListenSocket socket(Protocol p) {
        for (ListenSocket s : proxy.sockets()) if (s.proto() == p) return s;
        throw new IllegalStateException(cfg + ": the proxy has no " + p.lower() + " socket");
    }

    @Override
    public InetSocketAddress proxyAddress(Protocol proto) {
        return socket(proto).address();
    }

    @Override
    public String proxySocket(Protocol proto) {
        return socket(proto).toString();
    }

    @Override
    public long nowMillis() {
        return clock.nowMillis();
    }

    @Override
    public void send(String ua, Protocol proto, byte[] msg) {
        InetSocketAddress from = uas.get(ua);
        ListenSocket at = socket(proto);
        if (proto == Protocol.TCP) net.connected(from);
        clock.execute(() -> {
            try {
                proxy.receive(msg, from, at);
            } catch (RuntimeException e) {
                wire.note("proxy failed on a message from " + ua + ": " + e);
            }
        });
    }

    @Override
    public boolean runFor(long ms, BooleanSupplier stop) {
        return clock.advanceTo(clock.nowNanos() + TimeUnit.MILLISECONDS.toNanos(ms), stop);
    }

    @Override
    public void schedule(long delayMs, Runnable task) {
        clock.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean virtual() {
        return true;
    }

    @Override
    public void close() {
        clock.shutdownNow();
        if (proxy != null) {
            try {
                proxy.close();
            } catch (Exception e) {
                // a proxy that fails to stop does not change what it sent
            }
        }
    }
}
