package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SipUriTest {

    @Test
    void fullSipUri() throws Exception {
        SipUri u = SipUri.parse("sip:alice:secret@atlanta.example.com:5061;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent");
        assertEquals("sip", u.scheme());
        assertEquals("alice", u.user());
        assertEquals("secret", u.password());
        assertEquals("atlanta.example.com", u.host());
        assertEquals(5061, u.port());
        assertEquals(List.of("transport", "lr", "maddr"), List.copyOf(u.params().keySet()));
        assertEquals("tcp", u.transport());
        assertEquals("", u.param("LR"));
        assertEquals("subject=project%20x&priority=urgent", u.headers());
        assertEquals(u.text(), u.toString());
    }

    @Test
    void minimalAndSchemeCase() throws Exception {
        SipUri u = SipUri.parse("SIPS:example.com");
        assertEquals("sips", u.scheme());
        assertNull(u.user());
        assertEquals("example.com", u.host());
        assertEquals(-1, u.port());
        assertTrue(u.params().isEmpty());
        assertNull(u.headers());
    }

    @Test
    void ipv6References() throws Exception {
        SipUri u = SipUri.parse("sip:bob@[2001:db8::10]:5070;transport=udp");
        assertEquals("[2001:db8::10]", u.host());
        assertEquals(5070, u.port());
        SipUri v = SipUri.parse("sip:[::ffff:192.0.2.1]");
        assertEquals("[::ffff:192.0.2.1]", v.host());
        assertEquals(-1, v.port());
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:[2001:db8::10"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:[2001:zz::1]"));
    }

    @Test
    void telUri() throws Exception {
        SipUri t = SipUri.parse("tel:+1-201-555-0123;ext=1234;phone-context=example.com");
        assertEquals("tel", t.scheme());
        assertEquals("+1-201-555-0123", t.user());
        assertNull(t.host());
        assertEquals(-1, t.port());
        assertEquals("1234", t.param("ext"));
        assertEquals("example.com", t.param("phone-context"));
        assertThrows(SipParseException.class, () -> SipUri.parse("tel:"));
    }

    @Test
    void userWithSemicolonsAndEscapes() throws Exception {
        SipUri u = SipUri.parse("sip:+1234;npdi;rn=+1555@gw.example.com;user=phone");
        assertEquals("+1234;npdi;rn=+1555", u.user());
        assertEquals("phone", u.param("user"));
    }

    @Test
    void rejectsMalformed() {
        assertEquals(416, assertThrows(SipParseException.class, () -> SipUri.parse("http://example.com")).replyCode());
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:@host"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:host:99999"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:host:x"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:us er@host"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:user@ho/st"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:user%zz@host"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:host;=x"));
        assertThrows(SipParseException.class, () -> SipUri.parse("nocolon"));
        assertThrows(SipParseException.class, () -> SipUri.parse(null));
    }
}
