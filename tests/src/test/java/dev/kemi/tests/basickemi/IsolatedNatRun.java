package dev.kemi.tests.basickemi;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.tests.IsolatedJvm;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.LocalSockets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The NAT and flood scenario of the basic-kemi example, on our proxy (three flavours) and on
 * Kamailio 5.6.3 (native and JS), all in a network namespace whose only interface is {@code lo}:
 * whatever any of them sends, nothing can leave the machine. The test JVM starts this class's
 * {@link #main} in a child JVM under {@code unshare --net}; the child starts its own MariaDB and
 * rtpengine-daemon at the {@code rtpproxy_sock} the example names (udp:127.0.0.1:7722, free
 * inside the namespace), runs the five proxies side by side (the keepalive of natping_interval
 * 30 s is awaited once, not five times), each with the Java UAs of {@link NatFloodScenario} and
 * SIPp's of {@link SippNatCall} at once, and writes each transcript to a file.
 */
final class IsolatedNatRun {
    static final List<String> TARGETS = List.of("ours native", "ours WITH_CFGPYTHON3", "ours WITH_CFGJSDT", "kamailio native", "kamailio WITH_CFGJSDT");
    static final String RELAY_IP = "127.0.26.200", DB_IP = "127.0.26.250";
    /** A bound for a loaded machine: the run takes under 3 minutes on an idle one. */
    private static final Duration CHILD_LIMIT = Duration.ofMinutes(5);

    private IsolatedNatRun() {}

    /** Runs the child under unshare and returns target -> transcript; a target that failed has its stack trace as transcript. */
    static Map<String, List<String>> launch() throws Exception {
        Path dir = Files.createTempDirectory("kemi-nat-netns");
        Path out = dir.resolve("transcripts.txt"), log = dir.resolve("child.log");
        Process p = IsolatedJvm.start("", List.of("-Xmx1500m", "-Dkemi.test.dbhost=" + DB_IP), log, IsolatedNatRun.class.getName(),
                List.of(out.toString()));
        try {
            if (!p.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("the isolated run took over " + CHILD_LIMIT + ": " + tail(log));
            if (p.exitValue() != 0) throw new AssertionError("the isolated run failed (exit " + p.exitValue() + "): " + tail(log));
            // kept for a look after a failure: the test deletes its temp dir
            Files.copy(out, Path.of("target", "basickemi-transcripts.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("rtpengine.log"), Path.of("target", "basickemi-rtpengine.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Map<String, List<String>> byTarget = new LinkedHashMap<>();
            for (String line : Files.readAllLines(out)) {
                int tab = line.indexOf('\t');
                byTarget.computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>()).add(line.substring(tab + 1).replace("\\n", "\n"));
            }
            return byTarget;
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            BasicKemiExampleTest.deleteTree(dir);
        }
    }

    private static String tail(Path log) {
        String s = BasicKemiExampleTest.read(log);
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    /** In the namespace: the guard checked, then the relay, the database and the five proxies. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        requireIsolation();
        Process relay = startRtpengine(out.resolveSibling("rtpengine.log"));
        ExecutorService pool = Executors.newFixedThreadPool(TARGETS.size());
        List<Future<List<String>>> runs = new ArrayList<>();
        for (int n = 0; n < TARGETS.size(); n++) {
            int i = n;
            runs.add(pool.submit(() -> runTarget(i)));
        }
        StringBuilder file = new StringBuilder();
        for (int n = 0; n < TARGETS.size(); n++) {
            List<String> lines;
            try {
                lines = runs.get(n).get();
            } catch (java.util.concurrent.ExecutionException e) {
                StringWriter w = new StringWriter();
                e.getCause().printStackTrace(new PrintWriter(w));
                lines = List.of("FAILED " + w);
            }
            for (String l : lines) file.append(TARGETS.get(n)).append('\t').append(l.replace("\n", "\\n")).append('\n');
        }
        Files.writeString(out, file);
        relay.destroy();
        relay.waitFor(5, TimeUnit.SECONDS);
        System.exit(0);
    }

    /**
     * Debian's rtpengine-daemon as the example's RTPProxy: its rtpproxy-compatible control
     * protocol (--listen-udp) at the example's rtpproxy_sock, userspace forwarding (--table=-1),
     * media on {@link #RELAY_IP}; up once it answers the rtpproxy version command.
     */
    private static Process startRtpengine(Path log) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/rtpengine"))) throw new IllegalStateException("rtpengine (rtpengine-daemon) not installed");
        Process p = new ProcessBuilder("/usr/bin/rtpengine", "--config-file=none", "--foreground", "--log-stderr", "--table=-1", "--no-fallback",
                "--interface=" + RELAY_IP, "--listen-udp=127.0.0.1:7722", "--port-min=30000", "--port-max=30999", "--log-level=6")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(200);
            byte[] v = "v1 V".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (long d = System.nanoTime() + Duration.ofSeconds(15).toNanos(); System.nanoTime() < d; ) {
                if (!p.isAlive()) throw new IllegalStateException("rtpengine exited: " + Files.readString(log));
                s.send(new java.net.DatagramPacket(v, v.length, new InetSocketAddress("127.0.0.1", 7722)));
                try {
                    s.receive(new java.net.DatagramPacket(new byte[64], 64));
                    return p;
                } catch (java.net.SocketTimeoutException notYet) {
                    // not listening yet: ask again until the deadline
                }
            }
        }
        p.destroy();
        throw new IllegalStateException("rtpengine does not answer on udp:127.0.0.1:7722: " + Files.readString(log));
    }

    /** Only lo, and no route to anything else: connecting a UDP socket (which sends nothing) to TEST-NET-1 must fail. */
    private static void requireIsolation() throws IOException {
        List<String> interfaces = NetworkInterface.networkInterfaces().map(NetworkInterface::getName).toList();
        if (!interfaces.equals(List.of("lo"))) throw new IllegalStateException("not in a namespace with only lo: " + interfaces);
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(InetAddress.getByName("192.0.2.1"), 9);
            throw new IllegalStateException("a route leaves the namespace: " + s.getLocalAddress());
        } catch (java.io.UncheckedIOException | java.net.SocketException expected) {
            // Network is unreachable: the only way out is lo
        }
    }

    private static List<String> runTarget(int n) throws Exception {
        String name = TARGETS.get(n), ip = NatFloodScenario.proxyIp(n);
        String flavour = name.substring(name.indexOf(' ') + 1);
        String url = BasicKemiExampleTest.prepareDb(ip, NatFloodScenario.pbxIp(n));
        Path dir = BasicKemiExampleTest.copyExample(url, ip);
        try {
            NatFloodScenario.Target target = name.startsWith("ours") ? ours(dir, flavour) : kamailio(dir, flavour, ip);
            try {
                return NatFloodScenario.run(n, target, url, !flavour.equals("native"));
            } catch (Exception | AssertionError e) {
                Path log = dir.resolve("kamailio.log");
                if (Files.exists(log)) throw new AssertionError("kamailio log: " + BasicKemiExampleTest.read(log), e);
                throw e;
            }
        } finally {
            BasicKemiExampleTest.deleteTree(dir);
        }
    }

    private static NatFloodScenario.Target ours(Path dir, String flavour) throws IOException {
        SipProxy proxy = SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(dir.resolve("kamailio-basic-kemi.cfg"),
                flavour.equals("native") ? Set.of() : Set.of(flavour)), Map.of("rundir", dir.toString())));
        return new NatFloodScenario.Target() {
            private boolean stopped;

            @Override
            public String rpc(String... args) {
                try {
                    return String.valueOf(proxy.rpc().call(args[0], List.of((Object[]) Arrays.copyOfRange(args, 1, args.length))));
                } catch (dev.kemi.runtime.rpc.RpcException e) {
                    return "error: " + e.code() + " - " + e.getMessage(); // as kamcmd prints a fault
                }
            }

            @Override
            public void stop() {
                if (!stopped) proxy.close();
                stopped = true;
            }
        };
    }

    private static NatFloodScenario.Target kamailio(Path dir, String flavour, String ip) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Kamailio.BINARY.toString(), "-f", dir.resolve("kamailio-basic-kemi.cfg").toString(),
                "-L", Kamailio.MODULES.toString(), "-DD", "-E", "-w", dir.toString(), "-Y", dir.toString(), "-m", "64", "-M", "16"));
        if (!flavour.equals("native")) cmd.addAll(List.of("-A", flavour));
        Process k = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!LocalSockets.udpBound(new InetSocketAddress(ip, 5060))) {
            if (!k.isAlive() || System.nanoTime() > deadline) {
                BasicKemiExampleTest.stop(k);
                throw new IllegalStateException("kamailio did not bind: " + BasicKemiExampleTest.read(dir.resolve("kamailio.log")));
            }
            Thread.sleep(50); // polling a port another process binds: nothing to await
        }
        return new NatFloodScenario.Target() {
            @Override
            public String rpc(String... args) {
                List<String> c = new ArrayList<>(List.of("kamcmd", "-s", "unixs:" + dir.resolve("kamailio_ctl")));
                c.addAll(List.of(args));
                try {
                    Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
                    String text = new String(p.getInputStream().readAllBytes());
                    p.waitFor(10, TimeUnit.SECONDS);
                    return text;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void stop() {
                if (k.isAlive()) BasicKemiExampleTest.stop(k);
            }
        };
    }
}
