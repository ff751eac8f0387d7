package dev.kemi.tests.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lb.cfg (native, Python and JavaScript KEMI) under load, on Kamailio 5.6.3 and on us with the
 * same traffic: SIPp calls at 50 calls/s for 19 s over three SIPp servers while the third one
 * answers 503 to everything, then hangs (keepalives answered, calls not), then is killed, then is
 * restarted. Every caller places two calls 800 ms apart, so the call-limit profile refuses
 * exactly every second call; every call the proxy takes is ended by the dialog's 2 s lifetime
 * with a BYE to both ends. Compared: calls completed and refused, which servers took calls in
 * each phase, the third server's state over RPC, dispatcher.list and the dialogs at the end.
 */
class DispatcherLoadSippTest {
    static final Path RESOURCES = DispatcherSippTest.RESOURCES;
    static final String KEMI = "127.0.37.3", KAMAILIO = "127.0.37.4", UAC = "127.0.37.20";
    static final String S1 = "127.0.37.11", S2 = "127.0.37.12", S3 = "127.0.37.13";
    /** 960 calls: twelve blocks of 80, so every caller makes both calls. */
    static final int CALLS = 960, RATE = 50;
    /** The third server's phases, in seconds from the first call: 503, hung, killed, restarted. */
    static final int AT_503 = 4, AT_HUNG = 8, AT_KILLED = 12, AT_BACK = 15;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path dir;
    static final Map<String, Run> RUNS = new LinkedHashMap<>();

    /**
     * What one proxy did. Invites: per server instance the Call-IDs of load calls it got
     * ("s3" healthy, "s3-503", "s3-hung", "s3-back"); byes: the Call-IDs of the BYEs each end got.
     */
    record Run(int uacExit, Map<String, String> finals, Map<String, Set<String>> invites, Set<String> callerByes,
               Set<String> serverByes, String flagsOn503, String flagsKilled, String flagsBack, String list,
               String dialogsLeft) {
        long count(String code) {
            return finals.values().stream().filter(code::equals).count();
        }

        int invites(String server) {
            return invites.getOrDefault(server, Set.of()).size();
        }
    }

    @BeforeAll
    static void runAll() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(DispatcherSippTest.SIPP) && Files.isExecutable(DispatcherSippTest.KAMCMD),
                "sipp or kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        for (String flavour : List.of("native", "python", "js")) {
            RUNS.put("kamailio-" + flavour, run(true, flavour));
            RUNS.put("kemi-" + flavour, run(false, flavour));
        }
        // the numbers behind the assertions, for the test report
        RUNS.forEach((name, r) -> System.out.println("DispatcherLoadSippTest " + name + ": 200=" + r.count("200") + " 486="
                + r.count("486") + " invites=" + counts(r) + " callerByes=" + r.callerByes().size() + " serverByes="
                + r.serverByes().size()));
    }

    static String cfg(String listen, String flavour) throws IOException {
        String c = Files.readString(RESOURCES.resolve("lb.cfg")).replace("{listen}", listen);
        return switch (flavour) {
            case "python" -> c.replaceFirst("#!KAMAILIO\n", "#!KAMAILIO\n#!define KEMI_PY\n");
            case "js" -> c.replaceFirst("#!KAMAILIO\n", "#!KAMAILIO\n#!define KEMI_JS\n");
            default -> c;
        };
    }

    static Map<String, String> files() throws IOException {
        Map<String, String> f = new LinkedHashMap<>();
        for (String name : List.of("lb.list", "lb.py", "lb.js")) f.put(name, Files.readString(RESOURCES.resolve(name)));
        return f;
    }

    static Run run(boolean onKamailio, String flavour) throws Exception {
        String name = (onKamailio ? "kamailio-" : "kemi-") + flavour;
        Path d = Files.createDirectories(dir.resolve(name));
        String proxy = onKamailio ? KAMAILIO : KEMI;
        List<Process> servers = new ArrayList<>();
        try {
            servers.add(uas(d, "s1", S1, "lb_uas.xml"));
            servers.add(uas(d, "s2", S2, "lb_uas.xml"));
            if (onKamailio) {
                for (Map.Entry<String, String> f : files().entrySet()) Files.writeString(d.resolve(f.getKey()), f.getValue());
                Path cfg = Files.writeString(d.resolve("kamailio.cfg"), cfg(proxy, flavour).replace("{dir}", d.toString()));
                try (Kamailio k = Kamailio.startBound(cfg, d, List.of(new InetSocketAddress(proxy, 5060)))) {
                    return drive(d, proxy, d.resolve("ctl.sock"), servers);
                }
            }
            try (ProxyUnderTest p = ProxyUnderTest.start(cfg(proxy, flavour), files())) {
                return drive(d, proxy, p.cfgFile().getParent().resolve("ctl.sock"), servers);
            }
        } finally {
            DispatcherSippTest.stop(servers);
        }
    }

    static Run drive(Path d, String proxy, Path ctl, List<Process> servers) throws Exception {
        // warm-up at a fifth of the rate, on both proxies alike, with the third server hung so
        // failure_route runs every function it calls: a KEMI function's first runs are slow
        // (GraalPy held its workers for seconds, and calls queued behind them past the time the
        // call limit would have refused them), and that must not land in the measured load. Its
        // outcome is not judged: a worker held that long lets keepalive replies time out, so the
        // healthy servers may be probed out for a moment; the load starts once all three are in
        try (HungDestination warmS3 = new HungDestination(new InetSocketAddress(S3, 5060))) {
            Process warm = uac(d, proxy, "warm", 80, 10);
            assertTrue(warm.waitFor(90, TimeUnit.SECONDS), "warm-up calls ended");
        }
        servers.add(uas(d, "s3", S3, "lb_uas.xml"));
        Process s3 = servers.getLast();
        for (String s : List.of(S1, S2, S3)) assertEquals("AP", DispatcherSippTest.awaitFlags(ctl, s, "AP"), s);

        long t0 = System.nanoTime();
        Process load = uac(d, proxy, "load", CALLS, RATE);
        // the phases follow the load's clock (a schedule, not a synchronisation); what the proxy
        // made of each phase is awaited over RPC
        at(t0, AT_503);
        s3.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        servers.add(uas(d, "s3-503", S3, "lb_uas_503.xml"));
        String on503 = DispatcherSippTest.awaitFlags(ctl, S3, "IP");
        at(t0, AT_HUNG);
        servers.getLast().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        Set<String> hungInvites;
        try (HungDestination hung = new HungDestination(new InetSocketAddress(S3, 5060))) {
            at(t0, AT_KILLED);
            hungInvites = Set.copyOf(hung.invites());
        }
        String killed = DispatcherSippTest.awaitFlags(ctl, S3, "IP");
        at(t0, AT_BACK);
        servers.add(uas(d, "s3-back", S3, "lb_uas.xml"));
        String back = DispatcherSippTest.awaitFlags(ctl, S3, "AP");
        assertTrue(load.waitFor(120, TimeUnit.SECONDS), "load calls ended");

        Map<String, Set<String>> invites = new LinkedHashMap<>();
        Set<String> serverByes = new LinkedHashSet<>();
        for (String s : List.of("s1", "s2", "s3", "s3-503", "s3-back")) {
            invites.put(s, loadCalls(d.resolve(s + ".msg"), "INVITE"));
            serverByes.addAll(loadCalls(d.resolve(s + ".msg"), "BYE"));
        }
        invites.put("s3-hung", loadOnly(hungInvites));
        Path uacTrace = d.resolve("uac-load.msg");
        return new Run(load.exitValue(), DispatcherFailoverSippTest.finals(uacTrace), invites, loadCalls(uacTrace, "BYE"),
                serverByes, on503, killed, back, DispatcherSippTest.kamcmd(ctl, "dispatcher.list"), awaitNoDialogs(ctl));
    }

    /** Waits until {@code seconds} after t0. */
    static void at(long t0, int seconds) throws InterruptedException {
        long wait = t0 + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait); // the load schedule: the third server changes at these times
    }

    /** dlg.stats_active once no dialog is active (every one ended by its lifetime), or at the deadline. */
    static String awaitNoDialogs(Path ctl) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String out;
        do {
            out = DispatcherSippTest.kamcmd(ctl, "dlg.stats_active");
            if (out.contains("all: 0")) return out;
            Thread.sleep(200); // polling the proxy's dialogs over RPC: they end on its timer
        } while (System.nanoTime() < deadline);
        return out;
    }

    static Process uas(Path d, String name, String ip, String scenario) throws Exception {
        return DispatcherSippTest.uas(d, name, ip, "-sf", RESOURCES.resolve(scenario).toString());
    }

    /**
     * SIPp calls to lb@proxy; the callers come from an injection file in which each name is used
     * twice, forty calls apart: 800 ms at 50 calls/s, while the first call lasts at least 2 s. The
     * gap is that wide because the first call must be in the profile when the second is routed:
     * a worker held up for a few hundred ms on this loaded 2-core machine (or a KEMI function
     * run for the first time: the first failure_route) must not let the second call in early.
     */
    static Process uac(Path d, String proxy, String phase, int calls, int rate) throws Exception {
        StringBuilder users = new StringBuilder("SEQUENTIAL\n");
        for (int i = 0; i < calls; i++) users.append(phase).append(i / 80 * 40 + i % 40).append('\n');
        Path inf = Files.writeString(d.resolve("users-" + phase + ".csv"), users);
        return new ProcessBuilder(DispatcherSippTest.SIPP.toString(), "-sf", RESOURCES.resolve("lb_uac.xml").toString(),
                "-inf", inf.toString(), "-cid_str", "lb-%u-" + phase + "@caller.invalid", "-i", UAC,
                "-p", Integer.toString(ProxyUnderTest.freePort()), "-m", Integer.toString(calls), "-r", Integer.toString(rate),
                "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-timeout", "100s", "-timeout_error",
                "-trace_msg", "-message_file", d.resolve("uac-" + phase + ".msg").toString(), proxy + ":5060")
                .redirectErrorStream(true).redirectOutput(d.resolve("uac-" + phase + ".out").toFile()).start();
    }

    /** The Call-IDs of the load calls' requests of that method in a SIPp message trace, once each. */
    static Set<String> loadCalls(Path trace, String method) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        if (!Files.exists(trace)) return out;
        boolean in = false;
        for (String l : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
            String t = l.trim();
            if (t.startsWith(method + " sip:")) in = true;
            else if (t.startsWith("SIP/2.0 ") || t.matches("^[A-Z]+ sip:.*")) in = false;
            else if (in && t.regionMatches(true, 0, "Call-ID:", 0, 8)) {
                String cid = t.substring(8).trim();
                if (cid.contains("-load@")) out.add(cid);
                in = false;
            }
        }
        return out;
    }

    static Set<String> loadOnly(Set<String> cids) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : cids) if (c.contains("-load@")) out.add(c);
        return out;
    }

    static String counts(Run r) {
        Map<String, Integer> n = new LinkedHashMap<>();
        r.invites().forEach((k, v) -> n.put(k, v.size()));
        return n.toString();
    }

    static List<Run[]> pairs() {
        List<Run[]> out = new ArrayList<>();
        for (String f : List.of("native", "python", "js")) out.add(new Run[] {RUNS.get("kamailio-" + f), RUNS.get("kemi-" + f)});
        return out;
    }

    @Test
    void noCallIsLostThatKamailioCompleted() {
        for (Run[] p : pairs()) {
            Run k = p[0], o = p[1];
            // Kamailio completes every call it takes and refuses every caller's second one:
            // failover leaves no call to the failing server unanswered
            assertEquals(CALLS / 2, k.count("200"), "Kamailio's completed calls " + k.finals().size());
            assertEquals(CALLS / 2, k.count("486"), "Kamailio's refused calls");
            assertEquals(0, k.uacExit());
            assertEquals(0, o.uacExit(), "SIPp's exit code on us");
            assertEquals(CALLS, o.finals().size(), "calls with a final reply on us");
            assertEquals(k.count("200"), o.count("200"));
            assertEquals(k.count("486"), o.count("486"));
            for (Map.Entry<String, String> c : k.finals().entrySet()) {
                assertEquals(c.getValue(), o.finals().get(c.getKey()), "final reply to " + c.getKey());
            }
        }
    }

    @Test
    void everyCallEndsByItsLifetimeWithByeToBothEnds() {
        for (Run[] p : pairs()) {
            for (Run r : p) {
                assertEquals(r.count("200"), r.callerByes().size(), "BYEs the caller got");
            }
            // Kamailio 5.6.3 itself leaves some callees without the lifetime's BYE under this load:
            // the caller gets its BYE, the callee none, and it logs "inconsistent dlg timer data"
            // (bye_reply_cb) and "terminating non-confirmed dialogs not supported" (send_bye) though
            // the ACK went through; 0 to 22 of 480 calls in our runs, so up to 10% here. We send both
            long completed = p[0].count("200");
            assertTrue(p[0].serverByes().size() >= completed - completed / 10, "BYEs the servers got from Kamailio: "
                    + p[0].serverByes().size() + " of " + completed);
            assertEquals(completed, p[1].serverByes().size(), "BYEs the servers got from us");
            assertEquals(p[0].dialogsLeft(), p[1].dialogsLeft());
        }
    }

    @Test
    void thirdServerIsTakenOutAndBroughtBackAsOnKamailio() {
        for (Run[] p : pairs()) {
            for (Run r : p) {
                assertEquals("IP", r.flagsOn503(), "a 503 marks it out (and 503 keepalives keep it out)");
                assertEquals("IP", r.flagsKilled(), "killed: out");
                assertEquals("AP", r.flagsBack(), "restarted: probed back in");
            }
            assertEquals(p[0].list(), p[1].list());
        }
    }

    @Test
    void callsReachTheServersKamailioSendsThemTo() {
        for (Run[] p : pairs()) {
            Run k = p[0], o = p[1];
            for (Run r : p) {
                // the first 503 takes the server out; only the INVITEs relayed before it came back
                // reach it (round robin sends every third dispatched call there, one per 120 ms),
                // and tm's retransmissions of INVITEs the killed server had not answered yet
                assertTrue(r.invites("s3-503") >= 1 && r.invites("s3-503") <= 8, counts(r));
                // the hung server gets calls whenever a keepalive brought it back and until a call's
                // timeout takes it out again: how many depends on where the keepalive ticks fall
                assertTrue(r.invites("s3-hung") >= 1, counts(r));
                assertTrue(r.invites("s3-back") >= 1, counts(r));
            }
            // a healthy phase sends the third server a third of the dispatched calls; on a loaded
            // 2-core machine the phase switches land a few calls earlier or later, and how soon
            // the keepalive brings it back varies by a second (about 8 calls) on Kamailio itself
            for (String s : List.of("s3", "s3-back", "s3-hung")) {
                int kn = k.invites(s), on = o.invites(s);
                assertTrue(Math.abs(kn - on) <= Math.max(12, kn / 3), s + ": Kamailio " + kn + ", us " + on);
            }
            // the two servers that never fail take the rest
            int kRest = k.invites("s1") + k.invites("s2"), oRest = o.invites("s1") + o.invites("s2");
            assertTrue(Math.abs(kRest - oRest) <= Math.max(15, kRest / 10), "s1+s2: Kamailio " + kRest + ", us " + oRest);
        }
    }
}
