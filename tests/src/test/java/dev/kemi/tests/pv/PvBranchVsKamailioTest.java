package dev.kemi.tests.pv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.UdpSipClient;
import dev.kemi.tests.db.TestDatabases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * $branch(...) read and written, append_branch() (what the new branch takes from the message and
 * what shifting the R-URI resets), PV indexes given by variables ($xavp, $avp, $hdr) and "$$" in
 * formats: the same logic on Kamailio 5.6.3 and on us, in native cfg, Python and JavaScript; the
 * X-* headers of each 200 must be the same.
 */
class PvBranchVsKamailioTest {
    private static final Duration WAIT = Duration.ofSeconds(60); // the first request compiles a KEMI script

    @ParameterizedTest(name = "{0}")
    @EnumSource(PvScripts.class)
    void sameValuesAsKamailio(PvScripts flavour) throws Exception {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        String kamIp = "127.0.39." + (10 + flavour.ordinal()), ourIp = "127.0.39." + (20 + flavour.ordinal());
        List<String> cases = flavour == PvScripts.NATIVE ? List.of("branch", "index", "marker") : List.of("branch", "index");
        Path dir = Files.createTempDirectory("kemi-pv-kamailio");
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, flavour.cfg(kamIp).replace("{dir}", dir.toString()));
        for (Map.Entry<String, String> f : flavour.files(kamIp).entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
        List<String> kam;
        try (Kamailio k = Kamailio.startBound(cfg, dir, List.of(new InetSocketAddress(kamIp, 5060)))) {
            kam = run(kamIp, cases);
            assertTrue(k.isAlive(), k.log());
        }
        List<String> ours;
        try (ProxyUnderTest p = ProxyUnderTest.start(flavour.cfg(ourIp), flavour.files(ourIp))) {
            ours = run(ourIp, cases);
        }
        // what Kamailio shows, spelled out: the R-URI shifted with $du, socket and flags, which the message loses
        assertEquals("X-B0: du=[<null>] fs=[<null>] bf=0 c=1 u=sip:bob@PROXY:5060 d=sip:127.0.39.9:5999 q=[<null>] s=udp:PROXY:5060 f=8 p=[<null>] r=[<null>]",
                kam.get(2), "Kamailio: " + kam);
        for (int i = 0; i < Math.max(kam.size(), ours.size()); i++) {
            assertEquals(i < kam.size() ? kam.get(i) : null, i < ours.size() ? ours.get(i) : null,
                    flavour + " line " + i + "\nKamailio: " + kam + "\nours:     " + ours);
        }
    }

    /** Each case's reply: its status line, then its X-* headers, with the proxy's address as PROXY. */
    private static List<String> run(String proxyIp, List<String> cases) throws Exception {
        List<String> out = new ArrayList<>();
        InetSocketAddress proxy = new InetSocketAddress(proxyIp, 5060);
        try (UdpSipClient ua = new UdpSipClient(proxy, InetAddress.getByName("127.0.39.5"))) {
            for (String c : cases) {
                String callId = "pv-" + c + "-" + proxyIp;
                ua.send("OPTIONS sip:bob@" + proxyIp + ":5060 SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + ua.localHost() + ":" + ua.localPort() + ";branch=z9hG4bK-" + callId + "\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:alice@kemi.test>;tag=a1\r\nTo: <sip:bob@kemi.test>\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nX-Case: " + c + "\r\nX-H: h0\r\nX-H: h1\r\nContent-Length: 0\r\n\r\n");
                String reply = ua.receive(WAIT);
                assertNotNull(reply, c + ": no reply from " + proxyIp);
                SipWire w = SipWire.parse(reply);
                out.add(w.status() + " " + w.reason().replace(proxyIp, "PROXY"));
                for (String l : reply.split("\r\n")) if (l.startsWith("X-")) out.add(l.replace(proxyIp, "PROXY"));
            }
        }
        return out;
    }
}
