package dev.kemi.runtime.modules.tm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.engine.cfg.ConfigLoader;
import dev.kemi.engine.cfg.GlobalParam;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.runtime.core.Globals;
import dev.kemi.runtime.core.ProxyConfig;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.runtime.modules.StandardModules;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Calls through the running proxy with a native cfg, SIPp on both sides (skipped without sipp). */
class TmSippTest {
    private static final Path SCENARIOS = Path.of("../tests/src/test/resources/sipp").toAbsolutePath().normalize();

    /** Kept when a test fails: the SIPp message traces are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private SipProxy proxy;
    private int proxyPort, uasPort;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void ports() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/sipp")), "sipp not installed: ./kemi test installs it");
        proxyPort = freeUdpPort();
        uasPort = freeUdpPort();
    }

    private void startNative() throws Exception {
        startNative("udp");
    }

    private void startNative(String proto) throws Exception {
        start("""
                #!KAMAILIO
                listen=udp:127.0.0.1:%1$d
                listen=tcp:127.0.0.1:%1$d
                children=2
                loadmodule "tm.so"
                loadmodule "tmx.so"
                loadmodule "rr.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "siputils.so"
                loadmodule "textops.so"
                modparam("tm", "fr_inv_timer", 2000)
                request_route {
                  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
                  if (has_totag()) {
                    if (loose_route()) { t_relay(); exit; }
                    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
                    sl_send_reply("404", "Not here");
                    exit;
                  }
                  record_route();
                  $du = "sip:127.0.0.1:%2$d;transport=%3$s";
                  t_on_failure("MISSED");
                  if (!t_relay()) { sl_reply_error(); }
                }
                failure_route[MISSED] {
                  if (t_is_canceled()) { exit; }
                }
                """.formatted(proxyPort, uasPort, proto));
    }

    private void start(String cfg) throws Exception {
        Path file = dir.resolve("kamailio.cfg");
        Files.writeString(file, cfg);
        StandardModules catalog = new StandardModules();
        LoadedConfig loaded = ConfigLoader.load(file, Set.of(), catalog, catalog.pvs());
        Map<String, List<String>> globals = new LinkedHashMap<>();
        for (GlobalParam g : loaded.globals()) globals.computeIfAbsent(g.name(), k -> new ArrayList<>()).add(g.value());
        proxy = SipProxy.start(new ProxyConfig(Globals.of(globals), loaded.script(), loaded.functions(), loaded.modules()));
    }

    @AfterEach
    void stop() {
        for (Process p : started) p.destroyForcibly();
        if (proxy != null) proxy.close();
    }

    @Test
    void callThroughRecordRoutingProxy() throws Exception {
        startNative();
        Process uas = sipp("uas_rr.xml", uasPort, null);
        assertEquals(0, sipp("uac_rr.xml", freeUdpPort(), "127.0.0.1:" + proxyPort).waitFor(), "uac");
        assertEquals(0, finish(uas), "uas");
    }

    @Test
    void cancelledCall() throws Exception {
        startNative();
        Process uas = sipp("uas_ring_noanswer.xml", uasPort, null);
        assertEquals(0, sipp("uac_cancel.xml", freeUdpPort(), "127.0.0.1:" + proxyPort).waitFor(), "uac");
        assertEquals(0, finish(uas), "uas");
    }

    @Test
    void busyCalleeIsAckedHopByHop() throws Exception {
        startNative();
        Process uas = sipp("uas_486.xml", uasPort, null);
        assertEquals(0, sipp("uac_busy.xml", freeUdpPort(), "127.0.0.1:" + proxyPort).waitFor(), "uac");
        assertEquals(0, finish(uas), "uas");
    }

    @Test
    void ringingWithoutAnswerTimesOut() throws Exception {
        startNative();
        Process uas = sipp("uas_ring_noanswer.xml", uasPort, null);
        assertEquals(0, sipp("uac_timeout.xml", freeUdpPort(), "127.0.0.1:" + proxyPort).waitFor(), "uac gets 408");
        assertEquals(0, finish(uas), "uas gets CANCEL, its 487 is ACKed");
    }

    /** KEMI: t_on_failure names a Python method; its t_reply replaces the callee's 486. */
    @Test
    void pythonFailureRouteRepliesInstead() throws Exception {
        Files.writeString(dir.resolve("logic.py"), """
                import KSR as KSR

                def mod_init():
                    return Kamailio()

                class Kamailio:
                    def __init__(self):
                        pass

                    def child_init(self, rank):
                        return 0

                    def ksr_request_route(self, msg):
                        if KSR.is_CANCEL():
                            if KSR.tm.t_check_trans() > 0:
                                KSR.tm.t_relay()
                            return 1
                        if KSR.siputils.has_totag() > 0:
                            if KSR.is_ACK() and KSR.tm.t_check_trans() > 0:
                                KSR.tm.t_relay()
                            return 1
                        KSR.pv.sets("$du", "sip:127.0.0.1:%d")
                        KSR.tm.t_on_failure("ksr_failure_busy")
                        if KSR.tm.t_relay() < 0:
                            KSR.sl.sl_reply_error()
                        return 1

                    def ksr_failure_busy(self, msg):
                        if KSR.tm.t_check_status("486") > 0:
                            KSR.tm.t_reply(480, "Unavailable")
                        return 1

                    def ksr_onsend_route(self, msg):
                        return 1
                """.formatted(uasPort));
        start("""
                #!KAMAILIO
                listen=udp:127.0.0.1:%d
                children=1
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "siputils.so"
                loadmodule "app_python3.so"
                modparam("app_python3", "load", "%s")
                cfgengine "python"
                """.formatted(proxyPort, dir.resolve("logic.py")));
        Path uac = dir.resolve("uac_480.xml");
        Files.writeString(uac, Files.readString(SCENARIOS.resolve("uac_busy.xml")).replace("response=\"486\"", "response=\"480\""));
        Process uas = sipp("uas_486.xml", uasPort, null);
        assertEquals(0, sipp(uac.toString(), freeUdpPort(), "127.0.0.1:" + proxyPort).waitFor(), "uac gets 480");
        assertEquals(0, finish(uas), "uas gets its ACK");
    }

    @Test
    void callOverTcp() throws Exception {
        startNative("tcp");
        Process uas = sipp("uas_rr.xml", uasPort, null, "-t", "t1");
        assertEquals(0, sipp("uac_rr.xml", freeUdpPort(), "127.0.0.1:" + proxyPort, "-t", "t1").waitFor(), "uac");
        assertEquals(0, finish(uas), "uas");
    }

    private static int finish(Process p) throws InterruptedException {
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        return p.exitValue();
    }

    private Process sipp(String scenario, int port, String remote, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/sipp", "-sf", SCENARIOS.resolve(scenario).toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "1", "-nostdin", "-cp",
                Integer.toString(freeUdpPort()), "-timeout", "15s", "-timeout_error",
                "-trace_msg", "-message_file", dir.resolve(Path.of(scenario).getFileName() + ".log").toString()));
        cmd.addAll(List.of(extra));
        if (remote != null) cmd.add(remote);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(Path.of(scenario).getFileName() + ".out").toFile()).start();
        started.add(p);
        if (remote == null) awaitBound(p, port, List.of(extra).contains("t1") ? "tcp" : "udp");
        return p;
    }

    /**
     * Waits until the uas holds its port (read from /proc/net: probing by binding the port
     * ourselves would race SIPp's own bind).
     */
    private static void awaitBound(Process sipp, int port, String proto) throws IOException, InterruptedException {
        // a TCP socket counts once listening (state 0A), not for a connection from that port
        String local = String.format(proto.equals("tcp") ? " 0100007F:%04X 00000000:0000 0A " : " 0100007F:%04X ", port);
        Path table = Path.of("/proc/net", proto);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(table).contains(local)) {
            if (!sipp.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("sipp did not bind " + proto + " port " + port);
            Thread.sleep(20); // polling another process's bind: nothing to await on
        }
    }

    /** A port free for both UDP and TCP on loopback. */
    private static int freeUdpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                 ServerSocket t = new ServerSocket(s.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // TCP side in use: try another
            }
        }
        throw new IOException("no free port");
    }
}
