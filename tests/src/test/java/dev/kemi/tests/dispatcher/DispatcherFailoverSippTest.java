package dev.kemi.tests.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round robin over four SIPp destinations on 127.0.25.x with failover in failure_route, the same
 * cfg (native and JavaScript KEMI) on Kamailio 5.6.3 and on us: one destination answers 503 and
 * is marked out, one never answers (each call times out to the next), one is killed between two
 * rounds of calls (probed out, dst-down) and restarted (probed in, dst-up). Compared: which
 * destinations each call's INVITE reached, each call's final reply, the probed states and events,
 * and dispatcher.list at the end.
 */
class DispatcherFailoverSippTest {
    static final Path RESOURCES = DispatcherSippTest.RESOURCES;
    static final String KEMI = "127.0.25.201", KAMAILIO = "127.0.25.202", UAC = "127.0.25.220";
    static final String BUSY = "127.0.25.211", SILENT = "127.0.25.212", KILLED = "127.0.25.213", HEALTHY = "127.0.25.214";
    static final int CALLS = 8;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path dir;
    static Run kamailio, kemi, kamailioJs, kemiJs;

    /** What one proxy did: per Call-ID the destinations reached and the final code; states; events; the list. */
    record Run(Map<String, String> calls, int[] uacExit, String killedDown, String killedUp, List<String> events, String list) {}

    @BeforeAll
    static void runAll() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(DispatcherSippTest.SIPP) && Files.isExecutable(DispatcherSippTest.KAMCMD),
                "sipp or kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        kamailio = run(true, false);
        kemi = run(false, false);
        kamailioJs = run(true, true);
        kemiJs = run(false, true);
    }

    static String cfg(String listen, boolean js) throws IOException {
        String c = Files.readString(RESOURCES.resolve("failover.cfg")).replace("{listen}", listen);
        return js ? c.replaceFirst("#!KAMAILIO\n", "#!KAMAILIO\n#!define KEMI_JS\n") : c;
    }

    static Map<String, String> files() throws IOException {
        return Map.of("failover.list", Files.readString(RESOURCES.resolve("failover.list")),
                "failover.js", Files.readString(RESOURCES.resolve("failover.js")));
    }

    static Run run(boolean onKamailio, boolean js) throws Exception {
        Path d = Files.createDirectories(dir.resolve((onKamailio ? "kamailio" : "kemi") + (js ? "-js" : "-native")));
        String proxy = onKamailio ? KAMAILIO : KEMI;
        List<Process> servers = new ArrayList<>();
        try (SilentDestination silent = new SilentDestination(new InetSocketAddress(SILENT, 5060));
             EventListener events = new EventListener(new InetSocketAddress("127.0.25.250", 5099))) {
            servers.add(DispatcherSippTest.uas(d, "busy", BUSY, "-sf", RESOURCES.resolve("uas_503.xml").toString()));
            Process killed = DispatcherSippTest.uas(d, "killed", KILLED, "-sf", RESOURCES.resolve("uas_call_options.xml").toString());
            servers.add(killed);
            servers.add(DispatcherSippTest.uas(d, "healthy", HEALTHY, "-sf", RESOURCES.resolve("uas_call_options.xml").toString()));
            if (onKamailio) {
                for (Map.Entry<String, String> f : files().entrySet()) Files.writeString(d.resolve(f.getKey()), f.getValue());
                Path cfg = Files.writeString(d.resolve("kamailio.cfg"), cfg(proxy, js).replace("{dir}", d.toString()));
                try (Kamailio k = Kamailio.startBound(cfg, d, List.of(new InetSocketAddress(proxy, 5060)))) {
                    return drive(d, proxy, d.resolve("ctl.sock"), servers, killed, silent, events);
                }
            }
            try (ProxyUnderTest p = ProxyUnderTest.start(cfg(proxy, js), files())) {
                return drive(d, proxy, p.cfgFile().getParent().resolve("ctl.sock"), servers, killed, silent, events);
            }
        } finally {
            DispatcherSippTest.stop(servers);
        }
    }

    static Run drive(Path d, String proxy, Path ctl, List<Process> servers, Process killed, SilentDestination silent,
            EventListener events) throws Exception {
        // warm-up round (a cold GraalJS worker is slow on its first calls), then the sets afresh:
        // round robin from the first destination, states from the list file
        assertEquals(0, uac(d, proxy, "p0"), "warm-up calls");
        int skip = events.await(1).size();
        String reload = DispatcherSippTest.kamcmd(ctl, "dispatcher.reload");
        assertTrue(reload.isBlank() || reload.contains("Ok"), reload);
        int[] exit = new int[3];
        exit[0] = uac(d, proxy, "p1");
        killed.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        String down = DispatcherSippTest.awaitFlags(ctl, KILLED, "IP");
        exit[1] = uac(d, proxy, "p2");
        servers.add(DispatcherSippTest.uas(d, "killed-again", KILLED, "-sf", RESOURCES.resolve("uas_call_options.xml").toString()));
        String up = DispatcherSippTest.awaitFlags(ctl, KILLED, "AP");
        exit[2] = uac(d, proxy, "p3");
        Map<String, Set<String>> reached = new TreeMap<>();
        for (String name : List.of("busy", "silent", "killed", "killed-again", "healthy")) {
            List<String> ids = name.equals("silent") ? silent.invites() : invites(d.resolve(name + ".msg"));
            for (String cid : ids) if (!cid.contains("-p0@")) reached.computeIfAbsent(cid, k -> new TreeSet<>()).add(name.replace("-again", ""));
        }
        Map<String, String> calls = new TreeMap<>();
        for (String phase : List.of("p1", "p2", "p3")) {
            finals(d.resolve("uac-" + phase + ".msg")).forEach((cid, code) -> calls.put(cid, reached.getOrDefault(cid, Set.of()) + " " + code));
        }
        reached.forEach((cid, to) -> calls.putIfAbsent(cid, to + " none"));
        List<String> ev = events.await(skip + 3).stream().skip(skip).map(e -> e.replace(proxy, "PROXY")).toList();
        return new Run(calls, exit, down, up, ev, DispatcherSippTest.kamcmd(ctl, "dispatcher.list"));
    }

    /** CALLS calls, 5 per second, with Call-IDs the same on every run; SIPp's exit code. */
    static int uac(Path d, String proxy, String phase) throws Exception {
        Process p = new ProcessBuilder(DispatcherSippTest.SIPP.toString(), "-sf", RESOURCES.resolve("uac.xml").toString(), "-s", "rr",
                "-cid_str", "fo-%u-" + phase + "@caller.invalid", "-i", UAC, "-p", Integer.toString(ProxyUnderTest.freePort()),
                "-m", Integer.toString(CALLS), "-r", "5", "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()),
                "-timeout", "60s", "-timeout_error", "-trace_msg", "-message_file", d.resolve("uac-" + phase + ".msg").toString(),
                proxy + ":5060")
                .redirectErrorStream(true).redirectOutput(d.resolve("uac-" + phase + ".out").toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "uac " + phase + " ended");
        return p.exitValue();
    }

    /** The Call-IDs of the INVITEs a SIPp server's message trace shows received, once each. */
    static List<String> invites(Path trace) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        if (!Files.exists(trace)) return List.of();
        boolean invite = false;
        for (String l : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
            String t = l.trim();
            if (t.startsWith("INVITE sip:")) invite = true;
            else if (t.startsWith("SIP/2.0 ") || t.startsWith("ACK ") || t.startsWith("BYE ") || t.startsWith("OPTIONS ")) invite = false;
            else if (invite && t.regionMatches(true, 0, "Call-ID:", 0, 8)) out.add(t.substring(8).trim());
        }
        return List.copyOf(out);
    }

    /** Per Call-ID the last final reply to its INVITE in the UAC's message trace. */
    static Map<String, String> finals(Path trace) throws IOException {
        Map<String, String> out = new TreeMap<>();
        String code = null, cid = null;
        boolean invite = false;
        for (String l : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
            String t = l.trim();
            if (t.startsWith("SIP/2.0 ")) {
                code = t.substring(8, 11);
                cid = null;
                invite = false;
            } else if (code != null && t.regionMatches(true, 0, "Call-ID:", 0, 8)) {
                cid = t.substring(8).trim();
            } else if (code != null && t.regionMatches(true, 0, "CSeq:", 0, 5)) {
                invite = t.endsWith("INVITE");
            } else if (t.isEmpty() && code != null) {
                if (invite && cid != null && code.charAt(0) >= '2') out.put(cid, code);
                code = null;
            }
        }
        return out;
    }

    /** A destination that never answers: it only notes the Call-IDs of the INVITEs it gets. */
    static final class SilentDestination implements AutoCloseable {
        private final DatagramSocket socket;
        private final Set<String> invites = new LinkedHashSet<>();
        private final Thread reader;

        SilentDestination(InetSocketAddress at) throws IOException {
            socket = new DatagramSocket(at);
            reader = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[65535];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException closed) {
                        return;
                    }
                    String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
                    if (!m.startsWith("INVITE ")) continue;
                    for (String l : m.split("\r\n")) {
                        if (l.regionMatches(true, 0, "Call-ID:", 0, 8)) {
                            synchronized (invites) {
                                invites.add(l.substring(8).trim());
                            }
                        }
                    }
                }
            });
        }

        List<String> invites() {
            synchronized (invites) {
                return List.copyOf(invites);
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            reader.join(2000);
        }
    }

    static List<Run[]> pairs() {
        return List.of(new Run[] {kamailio, kemi}, new Run[] {kamailioJs, kemiJs});
    }

    @Test
    void everyCallCompletesOnEveryProxy() {
        for (Run r : List.of(kamailio, kemi, kamailioJs, kemiJs)) {
            assertEquals("[0, 0, 0]", java.util.Arrays.toString(r.uacExit()), "SIPp exit codes per round");
            assertEquals(3 * CALLS, r.calls().size(), r.calls().toString());
        }
    }

    @Test
    void eachCallReachesKamailiosDestinationsWithKamailiosOutcome() {
        for (Run[] p : pairs()) {
            // the failing destinations were tried, and failed over
            String all = p[0].calls().values().toString();
            assertTrue(all.contains("busy") && all.contains("silent") && all.contains("killed"), all);
            assertEquals(p[0].calls(), p[1].calls());
        }
    }

    @Test
    void killedDestinationIsProbedOutAndBackIn() {
        for (Run r : List.of(kamailio, kemi, kamailioJs, kemiJs)) {
            assertEquals("IP", r.killedDown());
            assertEquals("AP", r.killedUp());
        }
    }

    @Test
    void stateChangesRunTheEventRoutesAsOnKamailio() {
        String killed = "sip:" + KILLED + ":5060";
        for (Run[] p : pairs()) {
            List<String> k = p[0].events();
            assertTrue(k.stream().anyMatch(e -> e.endsWith(killed + " 408")) && k.stream().anyMatch(e -> e.endsWith(killed + " 200")), k.toString());
            assertEquals(k, p[1].events());
        }
    }

    @Test
    void dispatcherListReadsAsKamailios() {
        for (Run[] p : pairs()) assertEquals(p[0].list(), p[1].list());
    }
}
