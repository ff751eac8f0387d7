package dev.kemi.tests.rtpengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import dev.kemi.tests.bridge.SipPeer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sets, weights and failover against recording ng endpoints: an instance that stops answering
 * costs rtpengine_retr x rtpengine_tout_ms and the call goes to the next one; set_rtpengine_set
 * picks another set; with none answering the function fails within the same bound.
 */
class RtpengineFailoverTest {

    private static final String UA = "127.0.61.20";
    private final FakeNgServer quiet = new FakeNgServer("127.0.61.21");
    private final FakeNgServer first = new FakeNgServer("127.0.61.22");
    private final FakeNgServer second = new FakeNgServer("127.0.61.23");

    @AfterEach
    void stop() {
        quiet.close();
        first.close();
        second.close();
    }

    private ProxyUnderTest proxy() {
        return ProxyUnderTest.start("listen=udp:127.0.61.24:{port}\n"
                + "loadmodule \"pv.so\"\nloadmodule \"sl.so\"\nloadmodule \"textops.so\"\nloadmodule \"rtpengine.so\"\n"
                + "modparam(\"rtpengine\", \"rtpengine_sock\", \"1 == " + quiet.sock() + "=5 " + first.sock() + "=1\")\n"
                + "modparam(\"rtpengine\", \"rtpengine_sock\", \"2 == " + second.sock() + "\")\n"
                + "modparam(\"rtpengine\", \"setid_default\", 1)\n"
                + "modparam(\"rtpengine\", \"rtpengine_tout_ms\", 100)\n"
                + "modparam(\"rtpengine\", \"rtpengine_retr\", 2)\n"
                + """
                request_route {
                    if ($hdr(X-Set) == "2") { set_rtpengine_set(2); }
                    if (rtpengine_offer()) { sl_send_reply("200", "offered"); } else { sl_send_reply("500", "no rtpengine"); }
                }
                """);
    }

    @Test
    void quietInstanceIsSkippedAndDisabled() {
        try (ProxyUnderTest p = proxy(); SipPeer ua = new SipPeer(UA)) {
            quiet.silent = true; // it answered the start-up ping
            String callId = callIdFor(5, 6, true); // the Call-ID hash picks the weight-5 instance
            long t0 = System.nanoTime();
            assertEquals(200, offer(p, ua, callId, null).status());
            long failoverMillis = (System.nanoTime() - t0) / 1_000_000;
            List<String> got = first.take();
            assertEquals(1, got.size(), "the next instance got the offer");
            assertTrue(got.getFirst().contains(callId), got.getFirst());
            assertTrue(failoverMillis >= 200 && failoverMillis < 1500, "2 tries x 100 ms, then the next: " + failoverMillis);
            // disabled now: the next call goes straight to the live one
            long t1 = System.nanoTime();
            assertEquals(200, offer(p, ua, callIdFor(5, 6, true), null).status());
            long directMillis = (System.nanoTime() - t1) / 1_000_000;
            assertEquals(1, first.take().size());
            assertTrue(directMillis < 150, "no wait for the disabled instance: " + directMillis);
            System.out.printf("rtpengine failover: %d ms with a quiet instance, %d ms once it is disabled%n",
                    failoverMillis, directMillis);
        }
    }

    @Test
    void setRtpengineSetChoosesTheOtherSet() {
        try (ProxyUnderTest p = proxy(); SipPeer ua = new SipPeer(UA)) {
            String callId = SipRequests.callId();
            assertEquals(200, offer(p, ua, callId, "2").status());
            assertEquals(1, second.take().size());
            assertEquals(List.of(), first.take());
            assertEquals(List.of(), quiet.take());
        }
    }

    @Test
    void noInstanceAnsweringFailsWithinTheBound() {
        try (ProxyUnderTest p = proxy(); SipPeer ua = new SipPeer(UA)) {
            quiet.silent = true;
            first.silent = true;
            long t0 = System.nanoTime();
            SipWire r = offer(p, ua, SipRequests.callId(), null);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(500, r.status());
            // each instance: 2 x 100 ms; then aggressive redetection pings both (2 x 100 ms each)
            assertTrue(millis < 3000, "bounded: " + millis);
        }
    }

    /** A Call-ID whose byte sum (mod 256) modulo {@code total} is below {@code cut} (or not). */
    private static String callIdFor(int cut, int total, boolean below) {
        while (true) {
            String id = SipRequests.callId();
            int sum = 0;
            for (int i = 0; i < id.length(); i++) {
                sum += (byte) id.charAt(i);
            }
            if (((sum & 0xff) % total < cut) == below) {
                return id;
            }
        }
    }

    private static SipWire offer(ProxyUnderTest p, SipPeer ua, String callId, String set) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 " + UA + "\r\ns=-\r\nc=IN IP4 " + UA + "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
        String m = "INVITE sip:b@" + UA + " SIP/2.0\r\nVia: SIP/2.0/UDP " + UA + ":" + ua.port() + ";branch="
                + SipRequests.branch() + "\r\nFrom: <sip:a@" + UA + ">;tag=f1\r\nTo: <sip:b@" + UA + ">\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n" + (set == null ? "" : "X-Set: " + set + "\r\n")
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        ua.send(m, new InetSocketAddress("127.0.61.24", p.port()));
        return ua.await("reply to " + callId, w -> w.isResponse() && callId.equals(w.header("call-id")) && w.status() >= 200).msg();
    }
}
