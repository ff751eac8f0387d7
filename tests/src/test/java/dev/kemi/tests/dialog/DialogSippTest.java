package dev.kemi.tests.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.LocalSockets;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One dialog cfg (native, JavaScript and Python KEMI) run by Kamailio 5.6.3 and by Kemi Proxy in turn,
 * with SIPp on 127.0.27.x: three held calls from one caller against a limit of two in a
 * profile (the third gets 503), dlg.list and dlg.profile_get_size through kamcmd while two are
 * up, and a call whose dialog times out after 2 s with BYEs sent by the proxy to both ends.
 */
class DialogSippTest {
    static final Path SIPP = Path.of("/usr/bin/sipp"), KAMCMD = Path.of("/usr/sbin/kamcmd");
    static final Path RESOURCES = Path.of(System.getProperty("kemi.root", "..")).resolve("tests/src/test/resources/dialog")
            .toAbsolutePath().normalize();
    static final String KEMI = "127.0.27.1", KAMAILIO = "127.0.27.2", UAC = "127.0.27.20", UAS = "127.0.27.30";
    static final int UAC_PORT = 5070;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path dir;
    static Run kamailio, kemi, kamailioJs, kemiJs, kamailioPy, kemiPy;

    /** What one proxy did: the limit phase and the timeout phase. */
    record Run(int limitExit, int rejected, int limitInvites, String sizeDuring, String list, String sizeAfter,
               int timeoutExit, int calleeExit, List<String> calleeBye, List<String> callerBye) {}

    @BeforeAll
    static void runAll() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(SIPP) && Files.isExecutable(KAMCMD), "sipp or kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        kamailio = runKamailio("dialog.cfg");
        kemi = runKemi("dialog.cfg");
        kamailioJs = runKamailio("dialog-js.cfg");
        kemiJs = runKemi("dialog-js.cfg");
        kamailioPy = runKamailio("dialog-py.cfg");
        kemiPy = runKemi("dialog-py.cfg");
    }

    static String cfg(String name, String listen) throws IOException {
        return Files.readString(RESOURCES.resolve(name)).replace("{listen}", listen).replace("{uas}", UAS);
    }

    static Map<String, String> files() throws IOException {
        return Map.of("dialog.js", Files.readString(RESOURCES.resolve("dialog.js")).replace("{uas}", UAS),
                "dialog.py", Files.readString(RESOURCES.resolve("dialog.py")).replace("{uas}", UAS));
    }

    static Run runKamailio(String cfgName) throws Exception {
        Path d = Files.createDirectories(dir.resolve("kamailio-" + cfgName));
        for (Map.Entry<String, String> f : files().entrySet()) Files.writeString(d.resolve(f.getKey()), f.getValue());
        Path cfg = Files.writeString(d.resolve("kamailio.cfg"), cfg(cfgName, KAMAILIO).replace("{dir}", d.toString()));
        try (Kamailio k = Kamailio.startBound(cfg, d, List.of(new InetSocketAddress(KAMAILIO, 5060)))) {
            return drive(d, KAMAILIO, d.resolve("ctl.sock"));
        }
    }

    static Run runKemi(String cfgName) throws Exception {
        Path d = Files.createDirectories(dir.resolve("kemi-" + cfgName));
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg(cfgName, KEMI), files())) {
            return drive(d, KEMI, p.cfgFile().getParent().resolve("ctl.sock"));
        }
    }

    static Run drive(Path d, String proxy, Path ctl) throws Exception {
        Process uas = uas(d, "uas-limit", 0);
        int limitExit;
        String sizeDuring, list, sizeAfter;
        try {
            // the third call only once the first two are up: a worker still compiling the script must not decide the order
            Process uac = uac(d, proxy, "limit", "limit", UAC_PORT, 2, "uac_limit.xml");
            list = awaitConfirmed(ctl, 2);
            sizeDuring = kamcmd(ctl, "dlg.profile_get_size", "caller", "sipp").trim();
            int third = exit(uac(d, proxy, "limit", "limit-third", UAC_PORT + 1, 1, "uac_limit.xml"));
            limitExit = exit(uac) | third;
            sizeAfter = awaitSize(ctl, "0");
        } finally {
            stop(uas);
        }
        int rejected = calls(d.resolve("uac-limit.msg"), "SIP/2.0 503 Call limit reached")
                + calls(d.resolve("uac-limit-third.msg"), "SIP/2.0 503 Call limit reached");
        int invites = calls(d.resolve("uas-limit.msg"), "INVITE sip:limit@");
        uas = uas(d, "uas-timeout", 1);
        int timeoutExit, calleeExit;
        try {
            timeoutExit = exit(uac(d, proxy, "timeout", "timeout", UAC_PORT, 1, "uac_bye.xml"));
            calleeExit = exit(uas);
        } finally {
            stop(uas);
        }
        return new Run(limitExit, rejected, invites, sizeDuring, normalize(list, proxy), sizeAfter, timeoutExit, calleeExit,
                bye(d.resolve("uas-timeout.msg")), bye(d.resolve("uac-timeout.msg")));
    }

    /** The callee; with {@code calls} > 0 it exits (0 = each call ended with a BYE) after that many. */
    static Process uas(Path d, String name, int calls) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SIPP.toString(), "-sf", RESOURCES.resolve("uas.xml").toString(), "-i", UAS, "-p", "5060",
                "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-trace_msg", "-message_file",
                d.resolve(name + ".msg").toString()));
        if (calls > 0) cmd.addAll(List.of("-m", Integer.toString(calls), "-timeout", "30s", "-timeout_error"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(d.resolve(name + ".out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LocalSockets.udpBound(new InetSocketAddress(UAS, 5060))) {
            if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException(name + " did not start: "
                    + Files.readString(d.resolve(name + ".out")));
            Thread.sleep(20); // polling SIPp's bind: nothing to await on
        }
        return p;
    }

    /** A SIPp caller to {@code service}@proxy from {@code port}; its files are uac-NAME.*. */
    static Process uac(Path d, String proxy, String service, String name, int port, int calls, String scenario) throws Exception {
        return new ProcessBuilder(SIPP.toString(), "-sf", RESOURCES.resolve(scenario).toString(), "-s", service,
                "-i", UAC, "-p", Integer.toString(port), "-m", Integer.toString(calls), "-r", "2",
                "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-timeout", "30s", "-timeout_error",
                "-trace_msg", "-message_file", d.resolve("uac-" + name + ".msg").toString(), proxy + ":5060")
                .redirectErrorStream(true).redirectOutput(d.resolve("uac-" + name + ".out").toFile()).start();
    }

    static int exit(Process p) throws InterruptedException {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "uac ended");
        return p.exitValue();
    }

    static String kamcmd(Path ctl, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(KAMCMD.toString(), "-s", "unix:" + ctl));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** dlg.list once it shows {@code n} confirmed dialogs (state 4). */
    static String awaitConfirmed(Path ctl, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String list;
        do {
            list = kamcmd(ctl, "dlg.list");
            if (list.split("state: 4", -1).length - 1 == n) return list;
            Thread.sleep(50); // polling the proxy's state over RPC
        } while (System.nanoTime() < deadline);
        return list;
    }

    static String awaitSize(Path ctl, String want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String size;
        do {
            size = kamcmd(ctl, "dlg.profile_get_size", "caller", "sipp").trim();
            if (size.equals(want)) return size;
            Thread.sleep(50); // polling the proxy's state over RPC
        } while (System.nanoTime() < deadline);
        return size;
    }

    /** SIGTERM first: SIPp then writes out its message trace. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /** Distinct calls (Call-IDs) among the messages starting with that line (retransmissions count once). */
    static int calls(Path f, String firstLine) throws IOException {
        if (!Files.exists(f)) return 0;
        java.util.Set<String> ids = new java.util.HashSet<>();
        boolean in = false;
        for (String l : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
            if (l.startsWith(firstLine)) in = true;
            else if (in && l.startsWith("Call-ID:")) {
                ids.add(l.trim());
                in = false;
            }
        }
        return ids.size();
    }

    /** The received BYE's request line and its From/To/CSeq/Max-Forwards/Route headers, tags and ports masked. */
    static List<String> bye(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(f)) return out;
        boolean in = false;
        for (String l : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
            if (l.startsWith("BYE ")) {
                in = true;
                out.add(l.replaceAll(":\\d+", ":P"));
                continue;
            }
            if (!in) continue;
            if (l.isBlank()) break;
            String name = l.split(":", 2)[0].trim().toLowerCase();
            if (List.of("from", "to", "cseq", "call-id", "max-forwards", "route", "content-length", "user-agent").contains(name)) {
                out.add(name.equals("call-id") ? "Call-ID: X" : name.equals("user-agent") ? "User-Agent: X" : l.trim().replaceAll("tag=[^;>\\s]+", "tag=T").replaceAll("@[^\\s>;]+", "@H"));
            }
        }
        return out;
    }

    /** dlg.list with what differs between runs masked: ids, times, tags, Call-IDs, the proxy's address. */
    static String normalize(String list, String proxy) {
        StringBuilder b = new StringBuilder();
        for (String l : list.split("\n")) {
            String t = l.replaceAll(java.util.regex.Pattern.quote(proxy) + "(?!\\d)", "PROXY");
            t = t.replaceAll("^(\\s*(h_entry|h_id|call-id|start_ts|init_ts|end_ts|duration|timeout|tag|ref):).*", "$1 X");
            b.append(t).append('\n');
        }
        return b.toString();
    }

    static List<Run[]> pairs() {
        return List.of(new Run[] {kamailio, kemi}, new Run[] {kamailioJs, kemiJs}, new Run[] {kamailioPy, kemiPy});
    }

    @Test
    void callOverTheProfileLimitIsRejected() {
        for (Run[] p : pairs()) {
            for (Run r : p) {
                assertEquals(0, r.limitExit(), "every limit call ends as the scenario expects");
                assertEquals(1, r.rejected(), "one 503 for the third call");
                assertEquals(2, r.limitInvites(), "two INVITEs reach the callee");
                assertEquals("2", r.sizeDuring(), "dlg.profile_get_size caller sipp while two calls are up");
                assertEquals("0", r.sizeAfter(), "the profile is empty once the calls ended");
            }
        }
    }

    /**
     * Kamailio 5.6.3 races on a loaded machine: the 200 OK to its first BYE, handled by another
     * process, can delete the dialog before the second BYE goes out ("terminating non-confirmed
     * dialogs not supported"), so its callee may get none; ours must get both.
     */
    @Test
    void dialogTimeoutSendsByeToBothEnds() {
        for (Run[] p : pairs()) {
            Run k = p[0], us = p[1];
            assertEquals(0, k.timeoutExit(), "Kamailio's caller got the BYE");
            assertEquals(0, us.timeoutExit(), "the caller got the proxy's BYE and answered it");
            assertEquals(0, us.calleeExit(), "the callee got the proxy's BYE and answered it");
            assertTrue(!us.calleeBye().isEmpty(), "the callee got a BYE");
            assertTrue(!us.callerBye().isEmpty(), "the caller got a BYE");
            if (!k.calleeBye().isEmpty()) assertEquals(k.calleeBye(), us.calleeBye(), "BYE to the callee as Kamailio's");
            assertEquals(k.callerBye(), us.callerBye(), "BYE to the caller as Kamailio's");
        }
    }

    @Test
    void dlgListReadsAsKamailios() {
        for (Run[] p : pairs()) assertEquals(p[0].list(), p[1].list());
    }
}
