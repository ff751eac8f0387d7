package dev.kemi.runtime.modules.nathelper;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nathelper's private-address tests on parsed messages, nothing sent: nat_uac_test bits 1
 * (Contact), 4 (top Via), 8 (SDP, sdp_1918) and 32 (source), is_rfc1918 as cfg function and as
 * KEMI function. Expected codes are those of 5.6.3's nathelper.c: nh_nets_1918 (10/8, 172.16/12,
 * 192.168/16, 100.64/10, 192.0.0/29) and, with nat_addr_mode 1 (the default), nh_nets_extra
 * (192.0.0/24); addresses go through glibc's inet_aton; IPv6 is never private.
 */
class Rfc1918DetectionTest {
    private static final int C_1918 = 1, V_1918 = 4, S_1918 = 8, O_1918 = 32;
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5060));

    /** Address, private with nat_addr_mode 1, private with nat_addr_mode 0. */
    private record Case(String address, boolean mode1, boolean mode0) {}

    private static final List<Case> BOUNDARIES = List.of(
            new Case("9.255.255.255", false, false), new Case("10.0.0.0", true, true), new Case("10.255.255.255", true, true),
            new Case("11.0.0.0", false, false),
            new Case("172.15.255.255", false, false), new Case("172.16.0.0", true, true), new Case("172.31.255.255", true, true),
            new Case("172.32.0.0", false, false),
            new Case("192.167.255.255", false, false), new Case("192.168.0.0", true, true), new Case("192.168.255.255", true, true),
            new Case("192.169.0.0", false, false),
            new Case("100.63.255.255", false, false), new Case("100.64.0.0", true, true), new Case("100.127.255.255", true, true),
            new Case("100.128.0.0", false, false),
            new Case("191.255.255.255", false, false), new Case("192.0.0.0", true, true), new Case("192.0.0.7", true, true),
            new Case("192.0.0.8", true, false), new Case("192.0.0.255", true, false), new Case("192.0.1.0", false, false),
            new Case("127.0.0.1", false, false), new Case("169.254.1.1", false, false), new Case("203.0.113.7", false, false));

    private MessageContext from(String src, String via, String contact, String contentType, String sdp) {
        String body = sdp == null ? "" : sdp.replace("\n", "\r\n");
        return ctx(svc, "INVITE sip:bob@example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + via + ";branch=z9hG4bK-1;rport\n"
                + "From: <sip:alice@example.com>;tag=1\nTo: <sip:bob@example.com>\nCall-ID: c1\nCSeq: 1 INVITE\n"
                + (contact == null ? "" : "Contact: " + contact + "\n")
                + (contentType == null ? "" : "Content-Type: " + contentType + "\n")
                + "Content-Length: " + body.length() + "\n\n" + body, 0, src, 5060);
    }

    private static String sdp(String ip) {
        return "v=0\no=- 1 1 IN IP4 " + ip + "\ns=-\nc=IN IP4 " + ip + "\nt=0 0\nm=audio 4000 RTP/AVP 0\n";
    }

    private static NathelperModule nathelper(int natAddrMode, FakeServices svc) {
        NathelperModule nh = new NathelperModule();
        nh.natAddrMode(natAddrMode);
        nh.init(svc);
        return nh;
    }

    @Test
    void everyPlaceSeesTheSameNetworksAndBoundaries() {
        for (int mode : new int[] {1, 0}) {
            NathelperModule nh = nathelper(mode, svc);
            for (Case c : BOUNDARIES) {
                boolean priv = mode == 1 ? c.mode1() : c.mode0();
                int want = priv ? 1 : -1;
                String a = c.address(), what = a + " nat_addr_mode " + mode;
                MessageContext m = from(a, a + ":5060", "<sip:alice@" + a + ":5060>", "application/sdp", sdp(a));
                assertEquals(want, nh.is_rfc1918(m, a), "KEMI is_rfc1918 " + what);
                assertEquals(want, nh.isRfc1918Native(m, a), "is_rfc1918 " + what);
                assertEquals(want, nh.nat_uac_test(m, C_1918), "Contact " + what);
                assertEquals(want, nh.nat_uac_test(m, V_1918), "Via " + what);
                assertEquals(want, nh.nat_uac_test(m, S_1918), "SDP " + what);
                assertEquals(want, nh.nat_uac_test(m, O_1918), "source " + what);
            }
        }
    }

    @Test
    void addressesAsInetAtonReadsThem() {
        NathelperModule nh = nathelper(1, svc);
        MessageContext m = from("127.0.0.2", "127.0.0.2", "<sip:a@127.0.0.2>", null, null);
        // shorthand, octal and hex forms are addresses too
        for (String a : new String[] {"10.1", "167772161", "0xa000001", "012.1.2.3", "0xAC.16.0.1", "172.1048577", "192.168.65535", "10.1.2.3 trailing"}) {
            assertEquals(1, nh.is_rfc1918(m, a), a);
        }
        // 172.16 is 172.0.0.16; 0x without digits, signs, leading blanks, ports, CIDR, IPv6 are not addresses
        for (String a : new String[] {"172.16", "10.1.2.0x", " 10.1.2.3", "+10.1.2.3", "10.1.2.3:5060", "10.0.0.0/8", "10.1.2.3.", "1.2.3.08",
                "4294967296", "10.256.0.1", "::ffff:10.0.0.1", "fd00::1", "[fc00::1]", "private.example"}) {
            assertEquals(-1, nh.is_rfc1918(m, a), a);
        }
        // the cfg function refuses an empty parameter (-2); KEMI takes it as no address
        assertEquals(-2, nh.isRfc1918Native(m, ""));
        assertEquals(-1, nh.is_rfc1918(m, ""));
    }

    @Test
    void contactAndViaTestsReadTheHostOnly() {
        NathelperModule nh = nathelper(1, svc);
        assertEquals(1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "\"A\" <sips:alice@10.0.0.1:5061;transport=tls>;expires=60", null, null), C_1918));
        assertEquals(1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "sip:alice@192.168.1.1", null, null), C_1918));
        // the first Contact counts, a private second one does not
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:a@203.0.113.1>, <sip:b@10.0.0.1>", null, null), C_1918));
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "*", null, null), C_1918));
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", null, null, null), C_1918));
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:alice@[fd00::1]:5060>", null, null), C_1918));
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "[fd00::1]:5060", "<sip:a@127.0.0.2>", null, null), V_1918));
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "pc.private.example", "<sip:a@127.0.0.2>", null, null), V_1918));
        // an IPv6 source is never private (is1918addr_ip: AF_INET only)
        assertEquals(-1, nh.nat_uac_test(from("fd00::1", "[fd00::1]", "<sip:a@[fd00::1]>", null, null), O_1918));
        // any bit that holds is enough
        assertEquals(1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:a@127.0.0.2>", "application/sdp", sdp("10.9.9.9")), C_1918 | V_1918 | S_1918 | O_1918));
    }

    @Test
    void sdpTestWalksSessionsAndStreamsAsSdp1918() {
        NathelperModule nh = nathelper(1, svc);
        String pub = "203.0.113.7";
        // a stream's own c= wins over the session's, either way
        assertEquals(1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 " + pub + "\ns=-\nc=IN IP4 " + pub + "\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 10.0.0.1\n"));
        assertEquals(-1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 " + pub + "\n"));
        // the o= line is not looked at
        assertEquals(-1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 192.168.0.1\ns=-\nc=IN IP4 " + pub + "\nt=0 0\nm=audio 4000 RTP/AVP 0\n"));
        // every stream: the second one is private
        assertEquals(1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 " + pub + "\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 " + pub
                + "\nm=video 4002 RTP/AVP 96\nc=IN IP4 172.20.0.1\n"));
        // a held stream (0.0.0.0) or an IP6 one ends the walk of that session's streams
        assertEquals(-1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 " + pub + "\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 0.0.0.0"
                + "\nm=video 4002 RTP/AVP 96\nc=IN IP4 172.20.0.1\n"));
        assertEquals(-1, sdpTest(nh, "v=0\no=- 1 1 IN IP6 ::1\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP6 fd00::1"
                + "\nm=video 4002 RTP/AVP 96\nc=IN IP4 172.20.0.1\n"));
        // ... but the next session is still walked
        assertEquals(1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 " + pub + "\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio 4000 RTP/AVP 0\n"
                + "v=0\no=- 2 2 IN IP4 " + pub + "\ns=-\nc=IN IP4 192.168.7.7\nt=0 0\nm=audio 4010 RTP/AVP 0\n"));
        // a multicast TTL is part of the token extract_mediaip gives is1918addr: no address
        assertEquals(-1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 " + pub + "\ns=-\nc=IN IP4 10.0.0.1/127\nt=0 0\nm=audio 4000 RTP/AVP 0\n"));
        // the first c= of a section counts
        assertEquals(-1, sdpTest(nh, "v=0\no=- 1 1 IN IP4 " + pub + "\ns=-\nc=IN IP4 " + pub + "\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n"));
        // no SDP: no body, no Content-Type (parse_sdp refuses it), another type
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:a@127.0.0.2>", "application/sdp", null), S_1918));
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:a@127.0.0.2>", null, sdp("10.0.0.1")), S_1918));
        assertEquals(-1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:a@127.0.0.2>", "text/plain", sdp("10.0.0.1")), S_1918));
        assertEquals(1, nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:a@127.0.0.2>", "Application/SDP; charset=utf-8", sdp("10.0.0.1")), S_1918));
    }

    private int sdpTest(NathelperModule nh, String sdp) {
        return nh.nat_uac_test(from("127.0.0.2", "127.0.0.2", "<sip:a@127.0.0.2>", "application/sdp", sdp), S_1918);
    }
}
