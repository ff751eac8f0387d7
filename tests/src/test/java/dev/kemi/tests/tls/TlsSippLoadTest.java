package dev.kemi.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.db.TestDatabases;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short TLS load run: a SIPp UAC opening a TLS connection (and handshake) per call through the
 * proxy to a SIPp UAS reached over TLS, 200 record-routed calls at 50 cps: 0 failed, on our proxy
 * and on Kamailio 5.6.3 with the same cfg (scripts/default.cfg's routing, listening on TLS),
 * tls.cfg and certificates. Debian's SIPp has no TLS (`-t ln` refuses to start), so each SIPp runs
 * `-t tn` behind a {@link TlsTunnel}. The scenarios are bench/sipp's, saying TLS in Via and
 * Contact, with ;transport=tls in the INVITE's R-URI so the proxy relays over TLS. Ours on
 * 127.0.34.3, Kamailio on 127.0.34.4, SIPp on .5 (UAS) and .6 (UAC).
 */
class TlsSippLoadTest {
    static final String OURS = "127.0.34.3", THEIRS = "127.0.34.4", UAS = "127.0.34.5", UAC = "127.0.34.6";
    static final int CALLS = 200, RATE = 50;
    /** SIPp UAS on TCP, its tunnel's TLS port (the Contact), the UAC's tunnel (its -rsa). */
    static final int UAS_TCP = 5062, UAS_TLS = 5061, UAC_TUNNEL = 5061;
    static final Path SIPP = Path.of("/usr/bin/sipp");
    static final Path ROOT = Path.of(System.getProperty("kemi.root", "..")).toAbsolutePath().normalize();
    @TempDir
    static Path dir;
    static TestCerts.Issued ca;
    static TestCerts.Issued sippCert;

    @BeforeAll
    static void setUp() throws IOException {
        TestDatabases.requirePeer(Files.isExecutable(SIPP), "sipp");
        ca = TestCerts.ca(dir, "ca");
        sippCert = TestCerts.leaf(dir, "sipp", ca, "sipp", UAS);
        String uac = Files.readString(ROOT.resolve("bench/sipp/uac_rr.xml"));
        String invite = "INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0";
        assertTrue(uac.contains(invite), "bench/sipp/uac_rr.xml's INVITE line changed");
        // SIPp speaks TCP to its tunnel: what it writes says TLS, as the proxy sees it
        Files.writeString(dir.resolve("uac_tls.xml"), uac.replace(invite, "INVITE sip:[service]@[remote_ip]:[remote_port];transport=tls SIP/2.0")
                .replace("[transport]", "TLS"));
        String uas = Files.readString(ROOT.resolve("bench/sipp/uas_rr.xml"));
        String contact = "<sip:[local_ip]:[local_port];transport=[transport]>";
        assertTrue(uas.contains(contact), "bench/sipp/uas_rr.xml's Contact changed");
        Files.writeString(dir.resolve("uas_tls.xml"), uas.replace(contact, "<sip:" + UAS + ":" + UAS_TLS + ";transport=tls>"));
    }

    /** scripts/default.cfg's routing on udp and tls sockets of {@code ip}, with the test CA's tls.cfg in {@code d}. */
    static String cfg(String ip, Path d) throws IOException {
        TestCerts.Issued server = TestCerts.leaf(d, "proxy", ca, ip, ip);
        Files.writeString(d.resolve("tls.cfg"), String.join("\n",
                "[server:default]", "method = TLSv1.2+", "verify_certificate = no", "require_certificate = no",
                "certificate = " + server.certFile(), "private_key = " + server.keyFile(),
                "[client:default]", "method = TLSv1.2+", "verify_certificate = yes", "require_certificate = yes",
                "ca_list = " + ca.certFile(), ""));
        String text = Files.readString(ROOT.resolve("scripts/default.cfg"));
        String listen = "listen=udp:127.0.0.1:5060\nlisten=tcp:127.0.0.1:5060\n";
        assertTrue(text.contains(listen), "scripts/default.cfg's listen lines changed");
        return text.replace(listen, "enable_tls=yes\nlisten=udp:" + ip + ":5060\nlisten=tls:" + ip + ":5061\n"
                + "loadmodule \"tls.so\"\nmodparam(\"tls\", \"config\", \"" + d.resolve("tls.cfg") + "\")\n");
    }

    @Test
    void twoHundredTlsCallsOnOursAndOnKamailio() throws Exception {
        Path ours = Files.createDirectories(dir.resolve("ours"));
        String cfg = cfg(OURS, ours);
        int oursOk;
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg)) {
            oursOk = run(ours, OURS);
        }
        assertEquals(CALLS, oursOk, "successful TLS calls through kemi");

        TestDatabases.requirePeer(Kamailio.installed() && Files.isRegularFile(Kamailio.MODULES.resolve("tls.so")), "kamailio 5.6.3 with kamailio-tls-modules");
        Path theirs = Files.createDirectories(dir.resolve("kamailio"));
        Path kcfg = theirs.resolve("kamailio.cfg");
        Files.writeString(kcfg, cfg(THEIRS, theirs));
        int theirsOk;
        try (Kamailio k = Kamailio.startBound(kcfg, theirs, List.of(new InetSocketAddress(THEIRS, 5060)))) {
            theirsOk = run(theirs, THEIRS);
            assertTrue(k.isAlive(), k::log);
        }
        assertEquals(CALLS, theirsOk, "successful TLS calls through kamailio");
    }

    /** UAS then UAC, each behind its TLS tunnel; the UAC's successful calls, after checking it saw no failed one. */
    private static int run(Path d, String proxyIp) throws Exception {
        Process uas = sipp(d, "uas", List.of("-sf", dir.resolve("uas_tls.xml").toString(), "-i", UAS, "-p", Integer.toString(UAS_TCP)));
        try (TlsTunnel uasSide = awaitUas(d, uas);
             TlsTunnel uacSide = TlsTunnel.client(new InetSocketAddress(UAC, UAC_TUNNEL), new InetSocketAddress(proxyIp, 5061),
                     sippCert.context(ca))) {
            Process uac = sipp(d, "uac", List.of(UAS + ":" + UAS_TLS, "-sf", dir.resolve("uac_tls.xml").toString(), "-i", UAC,
                    "-rsa", UAC + ":" + UAC_TUNNEL, "-m", Integer.toString(CALLS), "-r", Integer.toString(RATE),
                    "-timeout", (CALLS / RATE + 30) + "s", "-timeout_error", "-trace_stat", "-stf", d.resolve("uac-stat.csv").toString(),
                    "-default_behaviors", "all,-abortunexp"));
            if (!uac.waitFor(CALLS / RATE + 60, TimeUnit.SECONDS)) {
                uac.destroyForcibly();
                fail("the SIPp UAC did not finish: " + tail(d.resolve("uac.out")));
            }
            int[] okFailed = stats(d.resolve("uac-stat.csv"));
            assertEquals(0, okFailed[1], () -> proxyIp + ": failed TLS calls; SIPp: " + tail(d.resolve("uac.out")) + tail(d.resolve("uac.errors")));
            assertEquals(0, uac.exitValue(), () -> "SIPp UAC exit code; " + tail(d.resolve("uac.out")) + tail(d.resolve("uac.errors")));
            return okFailed[0];
        } finally {
            uas.destroy();
            if (!uas.waitFor(5, TimeUnit.SECONDS)) uas.destroyForcibly();
        }
    }

    private static TlsTunnel awaitUas(Path d, Process uas) throws Exception {
        awaitListening(new InetSocketAddress(UAS, UAS_TCP), uas, d);
        return TlsTunnel.server(new InetSocketAddress(UAS, UAS_TLS), new InetSocketAddress(UAS, UAS_TCP), sippCert.context(ca));
    }

    private static Process sipp(Path d, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SIPP.toString(), "-t", "tn", "-max_socket", "1000", "-nostdin", "-trace_err", "-error_file",
                d.resolve(name + ".errors").toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).redirectOutput(d.resolve(name + ".out").toFile()).start();
    }

    /** SIPp's last stat line: successful and failed calls. */
    private static int[] stats(Path csv) throws IOException {
        List<String> rows = Files.readAllLines(csv);
        List<String> head = List.of(rows.get(0).split(";"));
        String[] last = rows.get(rows.size() - 1).split(";");
        return new int[] {Integer.parseInt(last[head.indexOf("SuccessfulCall(C)")]), Integer.parseInt(last[head.indexOf("FailedCall(C)")])};
    }

    private static void awaitListening(InetSocketAddress a, Process p, Path d) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(a, 1000);
                return;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) fail("SIPp UAS did not listen on " + a + ": " + tail(d.resolve("uas.out")));
                Thread.sleep(50); // another process's listen socket: nothing to await on
            }
        }
    }

    private static String tail(Path f) {
        try {
            String s = Files.readString(f);
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no " + f.getFileName() + ")";
        }
    }

}
