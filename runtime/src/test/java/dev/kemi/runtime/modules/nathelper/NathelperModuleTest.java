package dev.kemi.runtime.modules.nathelper;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

/** nathelper on parsed messages: nothing is sent, so private source addresses are fine here. */
class NathelperModuleTest {
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5060), socket(Protocol.TCP, "127.0.0.1", 5060));
    private final NathelperModule nh = new NathelperModule();

    private static String request(String via, String contact, String sdp) {
        String body = sdp == null ? "" : sdp.replace("\n", "\r\n");
        return "INVITE sip:bob@example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + via + ";branch=z9hG4bK-1;rport\n"
                + "From: <sip:alice@example.com>;tag=1\n"
                + "To: <sip:bob@example.com>\n"
                + "Call-ID: c1\n"
                + "CSeq: 1 INVITE\n"
                + (contact == null ? "" : "Contact: " + contact + "\n")
                + (sdp == null ? "" : "Content-Type: application/sdp\n")
                + "Content-Length: " + body.length() + "\n\n" + body;
    }

    private static final String SDP_PRIVATE = "v=0\no=- 1 1 IN IP4 192.168.1.10\ns=-\nc=IN IP4 192.168.1.10\nt=0 0\n"
            + "m=audio 4000 RTP/AVP 0\na=rtcp:4001 IN IP4 192.168.1.10\n";

    private MessageContext from(String ip, int port, String text) {
        return ctx(svc, text, 0, ip, port);
    }

    @Test
    void privateAddressBits() {
        // a UA behind NAT: private Contact, Via and SDP, seen from a public address
        MessageContext c = from("203.0.113.7", 40000, request("192.168.1.10:5060", "<sip:alice@192.168.1.10:5060>", SDP_PRIVATE));
        assertEquals(1, nh.nat_uac_test(c, 1));
        assertEquals(1, nh.nat_uac_test(c, 4));
        assertEquals(1, nh.nat_uac_test(c, 8));
        assertEquals(-1, nh.nat_uac_test(c, 32)); // the source is public
        assertEquals(1, nh.nat_uac_test(c, 2));
        assertEquals(1, nh.nat_uac_test(c, 16));
        assertEquals(1, nh.nat_uac_test(c, 128));
        assertEquals(1, nh.nat_uac_test(c, 256)); // c= differs from the source
        assertEquals(1, nh.nat_uac_test(c, 19));

        MessageContext pub = from("203.0.113.7", 5060, request("203.0.113.7", "<sip:alice@203.0.113.7>",
                SDP_PRIVATE.replace("192.168.1.10", "203.0.113.7")));
        assertEquals(-1, nh.nat_uac_test(pub, 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512));

        MessageContext inside = from("10.1.2.3", 5060, request("10.1.2.3", "<sip:alice@10.1.2.3>", null));
        assertEquals(1, nh.nat_uac_test(inside, 32));
        assertEquals(-1, nh.nat_uac_test(inside, 2 | 16 | 128));
    }

    @Test
    void privateNetworks() {
        MessageContext c = from("127.0.0.2", 5060, request("127.0.0.2", "<sip:a@127.0.0.2>", null));
        for (String a : new String[] {"10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "100.64.0.1", "100.127.255.255", "192.0.0.5", "192.0.0.200"}) {
            assertEquals(1, nh.is_rfc1918(c, a), a);
        }
        for (String a : new String[] {"172.32.0.1", "100.128.0.1", "192.0.1.1", "8.8.8.8", "127.0.0.1", "example.com", "::1"}) {
            assertEquals(-1, nh.is_rfc1918(c, a), a);
        }
        assertEquals(-2, nh.isRfc1918Native(c, ""));
        nh.natAddrMode(0);
        nh.init(svc);
        assertEquals(-1, nh.is_rfc1918(c, "192.0.0.200")); // 192.0.0.0/24 only with nat_addr_mode 1
        assertEquals(1, nh.is_rfc1918(c, "192.0.0.5"));
    }

    @Test
    void fixNatedContact() {
        MessageContext c = from("203.0.113.7", 40000, request("192.168.1.10", "\"A\" <sip:alice@192.168.1.10:5060;transport=udp>;expires=60", null));
        assertEquals(1, nh.fix_nated_contact(c));
        assertTrue(c.msg().toString().contains("\r\nContact: \"A\" <sip:alice@203.0.113.7:40000;transport=udp>;expires=60\r\n"), c.msg().toString());
        assertEquals(-1, nh.fix_nated_contact(c)); // Kamailio refuses a second rewrite
        assertEquals(-1, nh.set_contact_alias(c));
        assertEquals(-1, nh.nat_uac_test(c, 1 | 128)); // the tests read the rewritten Contact
        // maddr goes: it makes no sense once the address is the source
        MessageContext m = from("203.0.113.7", 40000, request("192.168.1.10", "<sip:alice@192.168.1.10;maddr=10.0.0.1;lr>", null));
        assertEquals(1, nh.fix_nated_contact(m));
        assertTrue(m.msg().toString().contains("\r\nContact: <sip:alice@203.0.113.7:40000;lr>\r\n"), m.msg().toString());
    }

    @Test
    void contactAlias() {
        MessageContext c = from("203.0.113.7", 40000, request("192.168.1.10", "sip:alice@192.168.1.10:5062;ob", null));
        assertEquals(1, nh.set_contact_alias(c));
        assertTrue(c.msg().toString().contains("\r\nContact: <sip:alice@192.168.1.10:5062;alias=203.0.113.7~40000~1>;ob\r\n"), c.msg().toString());

        MessageContext t = from("203.0.113.8", 1234, request("192.168.1.10", "<sip:alice@192.168.1.10;alias=1.2.3.4~5~1>", null));
        assertEquals(1, nh.set_contact_alias_trim(t));
        assertTrue(t.msg().toString().contains("\r\nContact: <sip:alice@192.168.1.10;alias=203.0.113.8~1234~1>\r\n"), t.msg().toString());

        MessageContext a = from("203.0.113.7", 40000, request("192.168.1.10", "sip:alice@192.168.1.10:5062;ob", null));
        assertEquals(1, nh.add_contact_alias(a));
        assertTrue(a.msg().toString().contains("\r\nContact: <sip:alice@192.168.1.10:5062;alias=203.0.113.7~40000~1>;ob\r\n"), a.msg().toString());

        // the Contact already is the source (with transport=udp: Kamailio compares the URI's proto too)
        MessageContext same = from("203.0.113.7", 5070, request("203.0.113.7:5070", "<sip:alice@203.0.113.7:5070;transport=udp>", null));
        assertEquals(2, nh.add_contact_alias(same));
        MessageContext none = from("203.0.113.7", 5070, request("203.0.113.7:5070", null, null));
        assertEquals(2, nh.add_contact_alias(none));

        MessageContext tcp = ctx(svc, request("192.168.1.10", "<sip:alice@192.168.1.10>", null), 1, "203.0.113.7", 40001);
        assertEquals(1, nh.add_contact_alias_addr(tcp, "198.51.100.1", "5080", "tcp"));
        assertTrue(tcp.msg().toString().contains("\r\nContact: <sip:alice@192.168.1.10;alias=198.51.100.1~5080~2>\r\n"), tcp.msg().toString());
        assertEquals(-1, nh.add_contact_alias_addr(from("1.1.1.1", 1, request("x", "<sip:a@b>", null)), "nohost", "5", "udp"));
    }

    @Test
    void handleRuriAlias() {
        String req = request("1.2.3.4", null, null).replace("INVITE sip:bob@example.com SIP/2.0",
                "INVITE sip:bob@192.168.1.10:5062;ob;alias=203.0.113.7~40000~1;x=y SIP/2.0");
        MessageContext c = from("198.51.100.9", 5060, req);
        assertEquals(1, nh.handle_ruri_alias(c));
        assertEquals("sip:203.0.113.7:40000", c.dstUri());
        assertEquals("sip:bob@192.168.1.10:5062;ob;x=y", c.msg().requestUri());

        String tcp = request("1.2.3.4", null, null).replace("INVITE sip:bob@example.com SIP/2.0",
                "INVITE sip:bob@10.0.0.1;alias=1.1.1.1~1~1;alias=203.0.113.7~5061~3 SIP/2.0");
        MessageContext last = from("198.51.100.9", 5060, tcp);
        assertEquals(1, nh.handle_ruri_alias_mode(last, 1));
        assertEquals("sip:203.0.113.7:5061;transport=tls", last.dstUri());
        assertEquals("sip:bob@10.0.0.1;alias=1.1.1.1~1~1", last.msg().requestUri());

        assertEquals(2, nh.handle_ruri_alias(from("198.51.100.9", 5060, request("1.2.3.4", null, null))));
        MessageContext bad = from("198.51.100.9", 5060, request("1.2.3.4", null, null).replace("sip:bob@example.com SIP", "sip:bob@h;alias=1.2.3.4 SIP"));
        assertEquals(-1, nh.handle_ruri_alias(bad));
    }

    @Test
    void fixNatedSdp() {
        MessageContext c = from("203.0.113.7", 40000, request("192.168.1.10", "<sip:a@192.168.1.10>", SDP_PRIVATE));
        assertEquals(1, nh.fix_nated_sdp(c, 2 | 8));
        String body = new String(c.msg().currentBody(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("v=0\r\no=- 1 1 IN IP4 203.0.113.7\r\ns=-\r\nc=IN IP4 203.0.113.7\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\na=rtcp:4001 IN IP4 203.0.113.7"
                + "\r\na=oldmediaip:192.168.1.10\r\na=oldmediaip:192.168.1.10\r\na=oldmediaip:192.168.1.10\r\n", body);
        SipMessageCheck.contentLengthMatches(c);

        MessageContext d = from("203.0.113.7", 40000, request("192.168.1.10", "<sip:a@192.168.1.10>", SDP_PRIVATE));
        assertEquals(2, nh.fix_nated_sdp(d, 1 | 4));
        String b2 = new String(d.msg().currentBody(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(b2.endsWith("a=rtcp:4001 IN IP4 192.168.1.10\r\na=direction:active\r\na=nortpproxy:yes\r\n"), b2);

        MessageContext e = from("203.0.113.7", 40000, request("192.168.1.10", "<sip:a@192.168.1.10>", SDP_PRIVATE));
        assertEquals(1, nh.fix_nated_sdp_ip(e, 2, "198.51.100.2"));
        assertTrue(new String(e.msg().currentBody()).contains("c=IN IP4 198.51.100.2\r\n"));
        assertEquals(-1, nh.fix_nated_sdp(from("1.1.1.1", 1, request("x", "<sip:a@b>", null)), 2));
    }

    @Test
    void registerHelpers() {
        nh.receivedAvp("$avp(RECEIVED)");
        String reg = request("192.168.1.10", "<sip:alice@192.168.1.10:5062>;expires=60, sip:alice@192.168.1.10:5063", null)
                .replace("INVITE sip:bob@example.com", "REGISTER sip:example.com").replace("1 INVITE", "1 REGISTER");
        MessageContext c = from("203.0.113.7", 40000, reg);
        assertEquals(1, nh.fix_nated_register(c));
        assertEquals("sip:203.0.113.7:40000", AvpStore.of(c).get("RECEIVED", 0));
        MessageContext t = ctx(svc, reg, 1, "203.0.113.7", 40001);
        assertEquals(1, nh.fix_nated_register(t));
        assertEquals("sip:203.0.113.7:40001;transport=tcp", AvpStore.of(t).get("RECEIVED", 0));

        assertEquals(1, nh.add_rcv_param(c, 0));
        assertTrue(c.msg().toString().contains("\r\nContact: <sip:alice@192.168.1.10:5062>;expires=60;received=\"sip:203.0.113.7:40000\", "
                + "sip:alice@192.168.1.10:5063;received=\"sip:203.0.113.7:40000\"\r\n"), c.msg().toString());
        MessageContext u = from("203.0.113.7", 40000, reg);
        assertEquals(1, nh.add_rcv_param(u, 1));
        assertTrue(u.msg().toString().contains("<sip:alice@192.168.1.10:5062;received=sip:203.0.113.7:40000>;expires=60"), u.msg().toString());
        assertEquals(-1, nh.add_rcv_param(t, 1)); // URI parameter only over UDP
    }

    @Test
    void recordRouteCounts() {
        String req = request("1.2.3.4", null, null).replace("Call-ID: c1\n",
                "Call-ID: c1\nRecord-Route: <sip:10.0.0.1;r2=on;lr>, <sip:10.0.0.2;r2=on;lr>\nRecord-Route: <sip:10.0.0.3;lr>\n");
        MessageContext c = from("1.2.3.4", 5060, req);
        assertEquals(3, nh.resolvePv(dev.kemi.api.PvSpec.parse("$rr_count")).get(c));
        assertEquals(2, nh.resolvePv(dev.kemi.api.PvSpec.parse("$rr_top_count")).get(c));
        assertEquals(0, nh.resolvePv(dev.kemi.api.PvSpec.parse("$rr_top_count")).get(from("1.2.3.4", 5060, request("1.2.3.4", null, null))));
    }

    @Test
    void pingRequestAsKamailioBuildsIt() {
        NathelperConfig cfg = new NathelperConfig();
        cfg.sippingFrom = "sip:pinger@kemi.test";
        NatPinger p = new NatPinger(svc, null, cfg);
        String ping = new String(p.sipPing("sip:alice@127.0.60.99:5099", svc.sockets.get(0), "<sip:127.0.0.9;lr>", "uloc-1-2", 0x1234abcd),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(ping.matches("OPTIONS sip:alice@127.0.60.99:5099 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK\\d{7}\r\n"
                + "Route: <sip:127.0.0.9;lr>\r\n"
                + "From: sip:pinger@kemi.test;tag=uloc-1-2-dcba4321-[0-9a-f]+\r\n"
                + "To: sip:alice@127.0.60.99:5099\r\n"
                + "Call-ID: [0-9a-f]+-[0-9a-f]+-0@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"), ping);
        assertEquals("0", NatPinger.reverseHex(0));
        assertEquals("ffffffff", NatPinger.reverseHex(-1));
    }

    @Test
    void aliasToPv() {
        svc.functions = null;
        nh.init(svc);
        MessageContext c = from("1.2.3.4", 5060, request("1.2.3.4", "<sip:alice@10.0.0.1;alias=203.0.113.7~40000~2>", null));
        assertEquals(1, nh.set_alias_to_pv(c, "$avp(alias)"));
        assertEquals("sip:203.0.113.7:40000;transport=tcp", AvpStore.of(c).get("alias", 0));
        assertEquals(-1, nh.set_alias_to_pv(from("1.2.3.4", 5060, request("1.2.3.4", "<sip:a@h;alias=1.1.1.1~1~1>, <sip:b@h>", null)), "$var(a)"));
        assertEquals(-1, nh.set_alias_to_pv(from("1.2.3.4", 5060, request("1.2.3.4", "<sip:a@h>", null)), "$var(a)"));
    }
}
