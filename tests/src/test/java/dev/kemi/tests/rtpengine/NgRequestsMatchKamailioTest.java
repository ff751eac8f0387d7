package dev.kemi.tests.rtpengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.bridge.SipPeer;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ng dictionaries our rtpengine module sends are Kamailio 5.6.3's, byte for byte: the same
 * messages with the same flags strings go through Kamailio and through Kemi Proxy running one
 * cfg, each pointed at a recording ng endpoint. Covers the flags parse_flags treats specially,
 * pass-through, force-answer, tags for requests and answers, delete, query, manage, and flags it refuses.
 */
class NgRequestsMatchKamailioTest {

    private static final String NG = "127.0.61.5";
    private static final String KAMAILIO = "127.0.61.6";
    private static final String OURS = "127.0.61.7";
    private static final String UA = "127.0.61.8";

    private static final String ROUTES = """
            request_route {
                if ($hdr(X-Op) == "offer") {
                    if (is_present_hf("X-Flags")) { rtpengine_offer("$hdr(X-Flags)"); } else { rtpengine_offer(); }
                } else if ($hdr(X-Op) == "answer") {
                    if (is_present_hf("X-Flags")) { rtpengine_answer("$hdr(X-Flags)"); } else { rtpengine_answer(); }
                } else if ($hdr(X-Op) == "delete") {
                    if (is_present_hf("X-Flags")) { rtpengine_delete("$hdr(X-Flags)"); } else { rtpengine_delete(); }
                } else if ($hdr(X-Op) == "query") {
                    rtpengine_query("$hdr(X-Flags)");
                } else if ($hdr(X-Op) == "manage") {
                    rtpengine_manage("$hdr(X-Flags)");
                } else if ($hdr(X-Op) == "record") {
                    start_recording();
                } else if ($hdr(X-Op) == "block") {
                    block_media("$hdr(X-Flags)");
                }
                if (!is_method("ACK")) { sl_send_reply("200", "done"); }
            }
            """;

    private static FakeNgServer ng;
    private static Kamailio kamailio;
    private static ProxyUnderTest ours;
    private static InetSocketAddress kamailioAddress;
    private static Path dir;

    private static String cfg(String listen, String sock) {
        return "children=1\nlisten=udp:" + listen + "\n"
                + "loadmodule \"pv.so\"\nloadmodule \"sl.so\"\nloadmodule \"tm.so\"\nloadmodule \"textops.so\"\n"
                + "loadmodule \"rtpengine.so\"\n"
                + "modparam(\"rtpengine\", \"rtpengine_sock\", \"" + sock + "\")\n" + ROUTES;
    }

    @BeforeAll
    static void start() throws IOException {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio not installed");
        ng = new FakeNgServer(NG);
        dir = Files.createTempDirectory("kemi-ng-kamailio");
        kamailioAddress = new InetSocketAddress(KAMAILIO, ProxyUnderTest.freePort());
        Path kcfg = dir.resolve("kamailio.cfg");
        Files.writeString(kcfg, "debug=2\nlog_stderror=yes\nmpath=\"" + Kamailio.MODULES + "\"\n"
                + cfg(KAMAILIO + ":" + kamailioAddress.getPort(), ng.sock()));
        kamailio = Kamailio.startBound(kcfg, dir, List.of(kamailioAddress));
        ours = ProxyUnderTest.start(cfg(OURS + ":{port}", ng.sock()));
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
        if (ng != null) {
            ng.close();
        }
    }

    @Test
    void offersWithEveryKindOfFlag() {
        compare("INVITE", "offer", "replace-origin ICE=remove", false);
        assertTrue(last.getFirst().contains("7:replacel6:origine") && last.getFirst().contains("3:ICE6:remove"),
                "the flags reached rtpengine: " + last);
        for (String flags : List.of(
                "",
                "replace-origin replace-session-connection",
                "ICE=remove RTP/AVP trust-address direction=external direction=internal",
                "internal external SIP-source-address",
                "SDES-off SDES=no-AES_CM_128_HMAC_SHA1_32 T38-decode T.38=force rtcp-mux-demux rtcp-mux=offer",
                "transcode-PCMA codec-transcode=G722 codec-strip-all codec-offer-PCMU codec-mask=opus codec-set=PCMU/8000 codec-except-PCMA",
                "TOS=184 delete-delay=5 repacketize=20 label=caller record-call=yes",
                "RTP SRTP AVPF",
                "AVP DTLS",
                "RTP/SAVPF", "RTP/SAVP", "RTP/AVPF", "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF",
                "via-branch=1", "via-branch=2", "via-branch=auto",
                "to-tag=abc call-id=other-call from-tag=ft",
                "to-tag",
                "directional",
                "  spaced    out  flags  ",
                "replace=origin T38=decode RTP=yes TOS")) {
            compare("INVITE", "offer", flags, false);
        }
        assertTrue(sent.stream().allMatch(n -> n == 1), "Kamailio sent an offer for each: " + sent);
    }

    @Test
    void answersDeletesQueriesAndTheRest() {
        compare("ACK", "answer", "replace-origin replace-session-connection", true);
        compare("ACK", "answer", null, true);
        compare("BYE", "delete", null, true);
        compare("BYE", "delete", "replace-origin via-branch=1 to-tag delete-delay=0", true);
        compare("OPTIONS", "query", "", true);
        compare("INVITE", "manage", "replace-origin replace-session-connection", false);
        compare("BYE", "manage", "replace-origin replace-session-connection", true);
        compare("INVITE", "record", null, true);
        compare("INVITE", "block", "directional", true);
        compare("INVITE", "block", "", true);
        compare("INVITE", "offer", "force-answer", true);
        assertTrue(sent.stream().allMatch(n -> n == 1), "Kamailio sent a command for each: " + sent);
    }

    @Test
    void refusedFlagsSendNothing() {
        for (String flags : List.of("via-branch=bogus", "call-id", "from-tag", "repacketize=x", "via-branch")) {
            compare("INVITE", "offer", flags, false);
        }
        compare("BYE", "delete", "force-answer", true);
        // force-answer in a request without To tag: an answer needs one
        compare("INVITE", "offer", "force-answer", false);
        // an answer in a request needs a To tag
        compare("ACK", "answer", "", false);
        assertTrue(sent.stream().allMatch(n -> n == 0), "Kamailio sent nothing: " + sent);
    }

    /** The same message through both; the ng requests they sent must be the same bytes. */
    private void compare(String method, String op, String flags, boolean withToTag) {
        String callId = SipRequests.callId();
        String branch = SipRequests.branch();
        List<String> kam = through(kamailioAddress, method, op, flags, withToTag, callId, branch);
        List<String> mine = through(new InetSocketAddress(OURS, ours.port()), method, op, flags, withToTag, callId, branch);
        assertEquals(kam, mine, op + " of a " + method + " with flags [" + flags + "]");
        sent.add(kam.size());
        last = kam;
    }

    private List<String> last = List.of();

    /** How many ng requests Kamailio sent for each compared message, in order. */
    private final List<Integer> sent = new ArrayList<>();

    private static List<String> through(InetSocketAddress proxy, String method, String op, String flags,
            boolean withToTag, String callId, String branch) {
        try (SipPeer ua = new SipPeer(UA)) {
            ng.take();
            String sdp = "v=0\r\no=- 7 7 IN IP4 " + UA + "\r\ns=-\r\nc=IN IP4 " + UA + "\r\nt=0 0\r\n"
                    + "m=audio 40000 RTP/AVP 0 8\r\na=sendrecv\r\n";
            boolean body = !method.equals("BYE") && !method.equals("OPTIONS");
            StringBuilder m = new StringBuilder()
                    .append(method).append(" sip:callee@").append(UA).append(":5999 SIP/2.0\r\n")
                    .append("Via: SIP/2.0/UDP ").append(UA).append(':').append(ua.port())
                    .append(";branch=").append(branch).append("\r\n")
                    .append("Via: SIP/2.0/UDP 127.0.61.9:5060;branch=z9hG4bK-second\r\n")
                    .append("Max-Forwards: 70\r\n")
                    .append("From: <sip:caller@").append(UA).append(">;tag=fromtag1\r\n")
                    .append("To: <sip:callee@").append(UA).append('>').append(withToTag ? ";tag=totag2" : "").append("\r\n")
                    .append("Call-ID: ").append(callId).append("\r\n")
                    .append("CSeq: 1 ").append(method).append("\r\n")
                    .append("X-Op: ").append(op).append("\r\n");
            if (flags != null) {
                m.append("X-Flags: ").append(flags).append("\r\n");
            }
            if (body) {
                m.append("Content-Type: application/sdp\r\nContent-Length: ").append(sdp.length()).append("\r\n\r\n").append(sdp);
            } else {
                m.append("Content-Length: 0\r\n\r\n");
            }
            ua.send(m.toString(), proxy);
            if (method.equals("ACK")) {
                // no reply to an ACK: an OPTIONS behind it (one worker each) marks the end
                String marker = SipRequests.callId();
                ua.send("OPTIONS sip:x@" + UA + " SIP/2.0\r\nVia: SIP/2.0/UDP " + UA + ":" + ua.port() + ";branch="
                        + SipRequests.branch() + "\r\nFrom: <sip:a@" + UA + ">;tag=1\r\nTo: <sip:b@" + UA + ">\r\n"
                        + "Call-ID: " + marker + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", proxy);
                ua.awaitResponse(marker, 200, "OPTIONS");
            } else {
                ua.awaitResponse(callId, 200, method);
            }
            List<String> sent = new ArrayList<>(ng.take());
            assertTrue(sent.size() <= 1, "one ng request per message: " + sent);
            return sent;
        }
    }
}
