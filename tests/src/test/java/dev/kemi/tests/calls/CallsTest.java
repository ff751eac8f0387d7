package dev.kemi.tests.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls with SIPp on both sides through the example logic scripts/failover.* — the same
 * scenarios and wire assertions for every front-end: Kemi Proxy with the native cfg, Python and
 * JavaScript, then Kamailio 5.6.3 with the same three files (skipped without /usr/sbin/kamailio).
 * A Kamailio run also compares its wire signature (reply codes and reasons, Via/Record-Route/Route
 * counts per message type, on each side) with the Kemi Proxy run of the same file.
 * Traces are kept in target/calls/FRONT-END/SCENARIO/.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(FrontEnd.class)
class CallsTest {
    /** Signatures of the Kemi Proxy runs, by front-end and scenario, for the Kamailio runs to compare with. */
    private static final Map<String, String> SIGNATURES = new ConcurrentHashMap<>();
    private static RunningProxy proxy;

    @Parameter
    FrontEnd frontEnd;

    private Path dir;
    private final List<Sipp> started = new ArrayList<>();

    @BeforeParameterizedClassInvocation
    static void startProxy(FrontEnd fe) throws Exception {
        assertTrue(Files.isExecutable(Sipp.BINARY), "sipp not installed: ./kemi test installs it");
        if (fe.kamailio) assertTrue(Kamailio.installed(), "kamailio not installed: ./kemi test installs it");
        proxy = RunningProxy.start(fe, Path.of("target/calls", fe.toString(), "kamailio").toAbsolutePath());
    }

    @AfterParameterizedClassInvocation
    static void stopProxy() {
        if (proxy != null) proxy.close();
        proxy = null;
    }

    @BeforeEach
    void traceDir(TestInfo test) throws Exception {
        dir = Path.of("target/calls", frontEnd.toString(), test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        Files.createDirectories(dir);
    }

    @AfterEach
    void killLeftovers() {
        for (Sipp s : started) s.kill();
    }

    @Test
    void basicCallOverUdp() throws Exception {
        Sipp uas = sipp("uas", "uas_answer.xml", Map.of()).calls(5, 100, 20).startUas();
        Sipp uac = sipp("uac", "uac_call.xml", Map.of()).calls(5, 50, 20).startUac(target(uas), proxy.port());
        bothSucceed(uac, uas);
        assertTrue(uac.messages().receivedStatuses().containsAll(List.of(180, 200)), "uac saw 180 and 200");
        assertRoutedThroughProxy(uas.messages(), 1);
        compare("basic", uac, uas);
    }

    @Test
    void callerOverTcpCalleeOverUdp() throws Exception {
        Sipp uas = sipp("uas", "uas_answer.xml", Map.of()).calls(3, 100, 20).startUas();
        Sipp uac = sipp("uac", "uac_call.xml", Map.of()).tcp().calls(3, 50, 20).startUac(target(uas), proxy.port());
        bothSucceed(uac, uas);
        // the proxy changes transport: double record-routing (one entry per socket)
        assertRoutedThroughProxy(uas.messages(), 2);
        compare("tcp-udp", uac, uas);
    }

    @Test
    void callerAndCalleeOverTcp() throws Exception {
        Sipp uas = sipp("uas", "uas_answer.xml", Map.of()).tcp().calls(3, 100, 20).startUas();
        Sipp uac = sipp("uac", "uac_call.xml", Map.of("ruri_params", ";transport=tcp")).tcp().calls(3, 50, 20)
                .startUac(target(uas), proxy.port());
        bothSucceed(uac, uas);
        assertRoutedThroughProxy(uas.messages(), 1);
        compare("tcp-tcp", uac, uas);
    }

    @Test
    void cancelWhileRinging() throws Exception {
        Sipp uas = sipp("uas", "uas_ring.xml", Map.of()).calls(3, 100, 20).startUas();
        Sipp uac = sipp("uac", "uac_cancel.xml", Map.of()).calls(3, 50, 20).startUac(target(uas), proxy.port());
        bothSucceed(uac, uas);
        SippTrace caller = uac.messages();
        assertTrue(caller.receivedStatuses().containsAll(List.of(180, 200, 487)), "uac: 180, 200 to CANCEL, 487");
        assertEquals(List.of("INVITE", "CANCEL", "ACK"), uas.messages().receivedMethods().stream().distinct().toList(),
                "uas: the proxy cancels and ACKs the 487 itself");
        compare("cancel", uac, uas);
    }

    @Test
    void busyCalleeFailsOverToBackup() throws Exception {
        Sipp busy = sipp("uas-busy", "uas_busy.xml", Map.of()).calls(3, 100, 20).startUas();
        Sipp backup = sipp("uas-backup", "uas_answer.xml", Map.of()).calls(3, 100, 20).startUas();
        Sipp uac = sipp("uac", "uac_call.xml", Map.of("headers", "X-Failover-To: sip:backup@" + target(backup)))
                .calls(3, 50, 20).startUac(target(busy), proxy.port());
        bothSucceed(uac, backup);
        assertEquals(0, busy.await(), "busy uas got the proxy's ACK for its 486");
        assertFalse(uac.messages().receivedStatuses().contains(486), "the 486 is not relayed");
        assertRoutedThroughProxy(backup.messages(), 1);
        compare("failover-486", uac, busy, backup);
    }

    @Test
    void noAnswerTimesOutAfterFrInvTimer() throws Exception {
        Sipp uas = sipp("uas", "uas_ring.xml", Map.of()).calls(2, 100, 20).startUas();
        long t0 = System.nanoTime();
        Sipp uac = sipp("uac", "uac_rejected.xml", Map.of("code", "408")).calls(2, 100, 20).startUac(target(uas), proxy.port());
        bothSucceed(uac, uas);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 1900, "408 only after t_set_fr's 2 s, took " + ms + " ms");
        assertTrue(uac.messages().receivedStatuses().containsAll(List.of(180, 408)), "uac: 180 then 408");
        assertTrue(uas.messages().receivedMethods().contains("CANCEL"), "uas: the ringing branch is cancelled");
        compare("no-answer", uac, uas);
    }

    @Test
    void noAnswerFailsOverToBackup() throws Exception {
        Sipp ringing = sipp("uas-ringing", "uas_ring.xml", Map.of()).calls(1, 100, 20).startUas();
        Sipp backup = sipp("uas-backup", "uas_answer.xml", Map.of()).calls(1, 100, 20).startUas();
        Sipp uac = sipp("uac", "uac_call.xml", Map.of("headers", "X-Failover-To: sip:backup@" + target(backup)))
                .calls(1, 50, 20).startUac(target(ringing), proxy.port());
        bothSucceed(uac, backup);
        assertEquals(0, ringing.await(), "ringing uas is cancelled and its 487 ACKed");
        compare("failover-408", uac, ringing, backup);
    }

    @Test
    void unreachableUdpNextHopTimesOut() throws Exception {
        int closed = ProxyUnderTest.freePort();
        Sipp uac = sipp("uac", "uac_rejected.xml", Map.of("code", "408")).calls(1, 10, 20)
                .startUac("127.0.0.1:" + closed, proxy.port());
        assertEquals(0, uac.await(), "uac gets 408: ICMP port unreachable is not seen on UDP");
        compare("unreachable-udp", uac);
    }

    /**
     * TCP connect refused: Kamailio fails the send at once, so t_relay returns an error, for
     * which the script's sl_reply_error() answers, and tm answers 477/TM when the script ends.
     */
    @Test
    void refusedTcpConnection() throws Exception {
        int closed = ProxyUnderTest.freePort();
        Sipp uac = sipp("uac", "uac_rejected.xml", Map.of("code", Integer.toString(sendFailureCode()),
                "ruri_params", ";transport=tcp")).calls(1, 10, 10).startUac("127.0.0.1:" + closed, proxy.port());
        uac.await(); // SIPp fails the call on the second reply when its code differs: assert on the trace
        assertEquals(expectedSendFailureReplies(), finalReplies(uac.messages()));
    }

    /**
     * 10 % loss at the caller (every message SIPp sends or receives there): every call still
     * completes through retransmissions. The caller's scenario re-ACKs retransmitted 200s and
     * matches responses to their transaction (SIPp's uac_call.xml would take a late INVITE 200
     * for the BYE's and leave the callee without an ACK). No loss at the callee: SIPp's UAS
     * can't take the proxy's INVITE retransmission after losing both its 180 and 200.
     */
    @Test
    void tenPercentLossAtTheCallerStillCompletesEveryCall() throws Exception {
        Sipp uas = sipp("uas", "uas_answer_lossy.xml", Map.of("timewait", "4000")).calls(50, 100, 90).startUas();
        Sipp uac = sipp("uac", "uac_call_lossy.xml", Map.of()).arg("-lost", "10").calls(50, 20, 90)
                .startUac(target(uas), proxy.port());
        bothSucceed(uac, uas);
    }

    @Test
    void twoHundredConcurrentCalls() throws Exception {
        Sipp uas = sipp("uas", "uas_answer_now.xml", Map.of("timewait", "4000")).arg("-l", "200").calls(200, 400, 40).startUas();
        Sipp uac = sipp("uac", "uac_call.xml", Map.of()).arg("-l", "200", "-d", "1500").calls(200, 400, 40)
                .startUac(target(uas), proxy.port());
        bothSucceed(uac, uas);
    }

    /** set_forward_no_connect and no connection to the callee: the send fails as for a refused connect. */
    @Test
    void noConnectWithoutConnectionFails() throws Exception {
        Sipp uas = sipp("uas", "uas_answer.xml", Map.of()).tcp().calls(1, 100, 5).startUas();
        Sipp uac = sipp("uac", "uac_rejected.xml", Map.of("code", Integer.toString(sendFailureCode()),
                "ruri_params", ";transport=tcp", "headers", "X-No-Connect: yes")).calls(1, 10, 10)
                .startUac(target(uas), proxy.port());
        uac.await(); // as in refusedTcpConnection: assert on the trace
        assertEquals(expectedSendFailureReplies(), finalReplies(uac.messages()));
        uas.await();
        assertEquals(List.of(), uas.messages().received(), "no connection was opened to the uas");
    }

    @Test
    void noConnectOverExistingConnection() throws Exception {
        Sipp uas = sipp("uas", "uas_answer.xml", Map.of()).tcp().calls(2, 100, 20).startUas();
        Map<String, String> tcpRuri = Map.of("ruri_params", ";transport=tcp");
        Sipp first = sipp("uac-connect", "uac_call.xml", tcpRuri).calls(1, 10, 20).startUac(target(uas), proxy.port());
        assertEquals(0, first.await(), "first call opens the connection");
        Sipp second = sipp("uac-noconnect", "uac_call.xml", Map.of("ruri_params", ";transport=tcp",
                "headers", "X-No-Connect: yes")).calls(1, 10, 20).startUac(target(uas), proxy.port());
        bothSucceed(second, uas);
        compare("no-connect-existing", second, uas);
    }

    /**
     * The script's reply when t_relay can't send, measured on Kamailio 5.6.3: the native cfg's
     * sl_reply_error() sees E_SEND and answers 477/SL; in KEMI it sees a stale ser_error and answers
     * 500 with a varying reason ("No error (0/SL)", "... server error occurred (1/SL)").
     */
    private int sendFailureCode() {
        return frontEnd.script == null ? 477 : 500;
    }

    /** tm's own 477/TM comes with the script's reply. */
    private Set<String> expectedSendFailureReplies() {
        return Set.of(sendFailureCode() + "/SL", "477/TM");
    }

    /** Final replies received as CODE/ORIGIN, the origin being the (../SL) or (../TM) reason suffix. */
    private static Set<String> finalReplies(SippTrace trace) {
        Set<String> out = new TreeSet<>();
        for (SippTrace.Message m : trace.received()) {
            if (m.status() < 300) continue;
            String line = m.firstLine();
            out.add(m.status() + (line.endsWith("/SL)") ? "/SL" : line.endsWith("/TM)") ? "/TM" : ""));
        }
        return out;
    }

    private Sipp sipp(String name, String scenario, Map<String, String> placeholders) throws Exception {
        Sipp s = new Sipp(name, dir, scenario, placeholders);
        started.add(s);
        return s;
    }

    private static String target(Sipp uas) {
        return "127.0.0.1:" + uas.port();
    }

    private static void bothSucceed(Sipp uac, Sipp uas) throws InterruptedException {
        assertEquals(0, uac.await(), "uac: every call completed");
        assertEquals(0, uas.await(), "uas: every call completed");
    }

    /** The callee sees the caller's Via plus the proxy's, and the proxy's Record-Route entries. */
    private static void assertRoutedThroughProxy(SippTrace callee, int recordRoutes) {
        SippTrace.Message invite = callee.received().stream().filter(m -> m.method().equals("INVITE")).findFirst().orElseThrow();
        assertEquals(2, invite.count("Via"), "Via lines at the callee");
        assertEquals(recordRoutes, invite.count("Record-Route"), "Record-Route lines at the callee");
    }

    /** Records the wire signature of a Kemi Proxy run; a Kamailio run must have the same. */
    private void compare(String scenario, Sipp... sides) throws Exception {
        TreeMap<String, Object> sig = new TreeMap<>();
        for (Sipp s : sides) sig.put(s.trace().getFileName().toString(), s.messages().receivedSignature());
        String text = sig.toString().replace("], ", "]\n");
        Files.writeString(dir.resolve("signature.txt"), text + "\n");
        String key = frontEnd.kemiTwin() + "/" + scenario;
        if (!frontEnd.kamailio) {
            SIGNATURES.put(key, text);
            return;
        }
        String ours = SIGNATURES.get(key);
        assumeTrue(ours != null, "no Kemi Proxy run of " + key + " to compare with");
        assertEquals(text, ours, "Kemi Proxy (" + frontEnd.kemiTwin() + ") differs from " + frontEnd + " on the wire");
    }
}
