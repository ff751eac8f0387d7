package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Via, name-addr and CSeq value parsers. */
class HeaderValueParsersTest {

    @Test
    void viaWithAllKnownParams() throws Exception {
        Via v = Via.parse("SIP/2.0/udp host.example.com:5070;branch=z9hG4bK77;received=192.0.2.1;rport=5071;maddr=224.2.0.1;ttl=16;X=y");
        assertEquals("UDP", v.transport());
        assertEquals("host.example.com", v.host());
        assertEquals(5070, v.port());
        assertEquals("z9hG4bK77", v.branch());
        assertEquals("192.0.2.1", v.received());
        assertEquals(5071, v.rport());
        assertEquals("224.2.0.1", v.maddr());
        assertEquals(16, v.ttl());
        assertEquals("y", v.params().get("x"));
        assertEquals(List.of("branch", "received", "rport", "maddr", "ttl", "x"), List.copyOf(v.params().keySet()));
    }

    @Test
    void viaDefaultsAndLws() throws Exception {
        Via v = Via.parse(" SIP / 2.0 / TLS  [2001:db8::9] : 5061 ; rport ; branch = z9hG4bKx ; received=[2001:db8::1]");
        assertEquals("TLS", v.transport());
        assertEquals("[2001:db8::9]", v.host());
        assertEquals(5061, v.port());
        assertEquals(0, v.rport());
        assertEquals("z9hG4bKx", v.branch());
        assertEquals("[2001:db8::1]", v.received());
        assertEquals("2001:db8::1", Via.parse("SIP/2.0/UDP [2001:db8::9];received=2001:db8::1").received());
        Via w = Via.parse("SIP/2.0/UDP h");
        assertEquals(-1, w.port());
        assertEquals(-1, w.rport());
        assertEquals(-1, w.ttl());
        assertNull(w.branch());
    }

    @Test
    void viaRejects() {
        for (String bad : List.of("SIP/2.0 UDP h", "SIP/2.0/UDP", "SIP/2.0/UDPh", "SIP/2.0/UDP h:70000",
                "SIP/2.0/UDP h;ttl=300", "SIP/2.0/UDP h;rport=x", "SIP/2.0/UDP h;received=a b",
                "SIP/2.0/UDP h;branch=\"q\"", "SIP/2.0/UDP h;;", "SIP/2.0/UDP h junk")) {
            assertThrows(SipParseException.class, () -> Via.parse(bad), bad);
        }
    }

    @Test
    void nameAddrForms() throws Exception {
        NameAddr a = NameAddr.parse("\"Bob \\\"B\\\"\" <sip:bob@b.example;transport=tcp>;tag=abc;Expires=60");
        assertEquals("Bob \\\"B\\\"", a.displayName());
        assertEquals("sip:bob@b.example;transport=tcp", a.uri());
        assertEquals("abc", a.tag());
        assertEquals("60", a.params().get("expires"));
        assertEquals("tcp", a.parsedUri().transport());

        NameAddr b = NameAddr.parse("sip:carol@c.example;tag=1");
        assertNull(b.displayName());
        assertEquals("sip:carol@c.example", b.uri());
        assertEquals("1", b.tag());

        NameAddr c = NameAddr.parse("Carol Smith <tel:+15551234>");
        assertEquals("Carol Smith", c.displayName());
        assertEquals("+15551234", c.parsedUri().user());

        NameAddr d = NameAddr.parse("<sip:[2001:db8::1]:5060>;+sip.instance=\"<urn:uuid:1>\"");
        assertEquals("[2001:db8::1]", d.parsedUri().host());
        assertEquals("\"<urn:uuid:1>\"", d.params().get("+sip.instance"));

        assertEquals("*", NameAddr.parse(" * ").uri());
        assertEquals("José Núñez", NameAddr.parse("José Núñez <sip:jose@example.com>").displayName());
    }

    @Test
    void nameAddrRejects() {
        for (String bad : List.of("", "\"unterminated <sip:a@b>", "\"x\" sip:a@b", "<sip:a@b", "< sip:a@b>",
                "sip:a@b?x=y", "Bell, A <sip:a@b>", "<>", "<sip:a@b>;", "<sip:a@b>;tag=\"x", "noscheme")) {
            assertThrows(SipParseException.class, () -> NameAddr.parse(bad), bad);
        }
    }

    @Test
    void cseq() throws Exception {
        assertEquals(new CSeq(4294967295L, "REGISTER"), CSeq.parse("4294967295 REGISTER"));
        CSeq padded = CSeq.parse(" 0009\r\n  INVITE ");
        assertEquals(new CSeq("0009", "INVITE"), padded);
        assertEquals(9, padded.value());
        // any token is a number to the parser, as Kamailio's; value() says whether it is one
        for (String lenient : List.of("4294967296 INVITE", "-1 INVITE", "x INVITE")) {
            assertEquals(-1, CSeq.parse(lenient).value(), lenient);
        }
        for (String bad : List.of("INVITE", "1", "1INVITE", "1 IN VITE")) {
            assertThrows(SipParseException.class, () -> CSeq.parse(bad), bad);
        }
    }

    @Test
    void headerNames() {
        assertEquals("via", HeaderNames.canonical("V"));
        assertEquals("call-id", HeaderNames.canonical(" i "));
        assertEquals("x-foo", HeaderNames.canonical("X-Foo"));
        assertEquals(HeaderNames.id("Content-Length"), HeaderNames.id("l"));
        assertEquals(HeaderNames.OTHER, HeaderNames.id("X-Whatever"));
    }
}
