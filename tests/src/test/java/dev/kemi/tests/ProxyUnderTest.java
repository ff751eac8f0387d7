package dev.kemi.tests;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A proxy running in this JVM on 127.0.0.1, from a cfg given as text, for black-box tests.
 * In the cfg text (and in extra files) {@code {port}} stands for a port free for both UDP and
 * TCP, and {@code {dir}} for the directory the cfg is written to, so
 * <pre>
 * listen=udp:127.0.0.1:{port}
 * listen=tcp:127.0.0.1:{port}
 * loadmodule "app_python3.so"
 * modparam("app_python3", "load", "{dir}/logic.py")
 * </pre>
 * works in parallel runs. Start one per test class ({@code @BeforeAll}): startup takes a moment.
 * <pre>
 * try (ProxyUnderTest p = ProxyUnderTest.startWith(""); SipClient c = p.udpClient()) {
 *     c.send(SipRequests.options(p, c, SipRequests.callId()));
 *     assertEquals(200, c.expect().status());
 * }
 * </pre>
 */
public final class ProxyUnderTest implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final Path dir;
    private final Path cfg;
    private final int port;
    private final SipProxy proxy;

    private ProxyUnderTest(Path dir, Path cfg, int port, SipProxy proxy) {
        this.dir = dir;
        this.cfg = cfg;
        this.port = port;
        this.proxy = proxy;
    }

    /** Writes the cfg to a temp dir, loads it as `kemi run` does, and starts it. */
    public static ProxyUnderTest start(String cfgText, String... defines) {
        return start(cfgText, Map.of(), defines);
    }

    /** As {@link #start(String, String...)}, with more files (name to text) written next to the cfg first. */
    public static ProxyUnderTest start(String cfgText, Map<String, String> files, String... defines) {
        int port = freePort();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kemi-test");
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), fill(f.getValue(), port, dir));
            }
            Path cfg = dir.resolve("kamailio.cfg");
            Files.writeString(cfg, fill(cfgText, port, dir));
            SipProxy proxy = SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(cfg, Set.of(defines))));
            return new ProxyUnderTest(dir, cfg, port, proxy);
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The standard test cfg: UDP and TCP on {port}, plus the given text (routing blocks ...). */
    public static ProxyUnderTest startWith(String extraCfg, String... defines) {
        return start("listen=udp:127.0.0.1:{port}\nlisten=tcp:127.0.0.1:{port}\n" + extraCfg, defines);
    }

    private static String fill(String text, int port, Path dir) {
        return text.replace("{port}", Integer.toString(port)).replace("{dir}", dir.toAbsolutePath().toString());
    }

    /** The port {port} stood for. */
    public int port() {
        return port;
    }

    /** The cfg file as written; its directory ({dir}) is deleted on close. */
    public Path cfgFile() {
        return cfg;
    }

    public SipProxy proxy() {
        return proxy;
    }

    /** The first socket of that protocol. */
    public InetSocketAddress address(Protocol proto) {
        return proxy.sockets().stream().filter(s -> s.proto() == proto).map(ListenSocket::address).findFirst()
                .orElseThrow(() -> new IllegalStateException("the proxy has no " + proto + " socket"));
    }

    /** A UDP client on a free local port talking to the proxy's first UDP socket. */
    public SipClient udpClient() {
        return new UdpSipClient(address(Protocol.UDP));
    }

    /** A UDP client on a free port of the given loopback address (a distinct source IP). */
    public SipClient udpClientFrom(String loopbackIp) {
        try {
            InetAddress local = InetAddress.getByName(loopbackIp);
            if (!local.isLoopbackAddress()) throw new IllegalArgumentException("not a loopback address: " + loopbackIp);
            return new UdpSipClient(address(Protocol.UDP), local);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A TCP client connected to the proxy's first TCP socket. */
    public SipClient tcpClient() {
        return new TcpSipClient(address(Protocol.TCP));
    }

    public SipClient client(Protocol proto) {
        return proto == Protocol.UDP ? udpClient() : tcpClient();
    }

    @Override
    public void close() {
        proxy.close();
        deleteTree(dir);
    }

    /**
     * Ports freePort() handed out in this JVM: the kernel may give a just-closed ephemeral port
     * again, so two calls in a row (SIPp's -p and -cp) could otherwise get the same one.
     */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A port on 127.0.0.1 that is free for UDP and TCP right now, never the same twice in one JVM. */
    public static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                int p = udp.getLocalPort();
                if (HANDED_OUT.contains(p)) continue;
                try (ServerSocket tcp = new ServerSocket(p, 1, LOOPBACK)) {
                    if (HANDED_OUT.add(p)) return p;
                } catch (IOException taken) {
                    // TCP side in use: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP");
    }

    private static void deleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files: best effort
        }
    }
}
