package dev.kemi.runtime.modules.siputils;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class SiputilsModuleTest {
    private final SiputilsModule su = new SiputilsModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080));

    @Test
    void toTagAndKind() {
        assertEquals(-1, su.has_totag(ctx(svc, invite())));
        assertEquals(1, su.has_totag(ctx(svc, invite().replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1>;tag=x"))));
        assertEquals(1, su.is_request(ctx(svc, invite())));
        assertEquals(-1, su.is_reply(ctx(svc, invite())));
        assertEquals(1, su.is_first_hop(ctx(svc, invite())));
    }

    @Test
    void uriParams() {
        MessageContext tel = ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:123;isub=4@127.0.0.1;user=phone "));
        // Kamailio reads a user=phone URI's parameters from its user part
        assertEquals(-1, su.uri_param_value(tel, "user", "phone"));
        assertEquals(1, su.uri_param_value(tel, "isub", "4"));
        MessageContext c = ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:bob@127.0.0.1;flag;user=ip "));
        assertEquals(1, su.uri_param(c, "flag"));
        assertEquals(-1, su.uri_param(c, "user"));
        assertEquals(1, su.uri_param_value(c, "user", "ip"));
        assertEquals(1, su.uri_param_any(c, "user"));
        assertEquals(-1, su.uri_param_any(c, "nope"));
        assertEquals(1, su.add_uri_param(c, "x=1"));
        assertEquals("sip:bob@127.0.0.1;flag;user=ip;x=1", c.msg().requestUri());
        assertEquals(1, su.uri_param_rm(c, "user"));
        assertEquals("sip:bob@127.0.0.1;flag;x=1", c.msg().requestUri());
        assertEquals(-1, su.uri_param_rm(c, "user"));
        assertEquals(1, su.cmp_hdr_name(c, "v", "VIA"));
        assertEquals(-1, su.cmp_hdr_name(c, "To", "From"));
    }

    @Test
    void stringChecks() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, su.is_numeric(c, "0123"));
        assertEquals(-1, su.is_numeric(c, "12a"));
        assertEquals(-1, su.is_numeric(c, ""));
        assertEquals(1, su.is_alphanum(c, "ab12"));
        assertEquals(-1, su.is_alphanum(c, "ab-12"));
        assertEquals(1, su.is_alphanumex(c, "ab-12", "-"));
        assertEquals(1, su.is_tel_number(c, "+4930123"));
        assertEquals(-1, su.is_tel_number(c, "+"));
        assertEquals(-1, su.is_tel_number(c, "12 3"));
        assertEquals(1, su.is_uri(c, "sip:a@b"));
        assertEquals(-1, su.is_uri(c, "nope"));
    }

    @Test
    void uriComparison() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, su.cmp_uri(c, "sip:bob@EXAMPLE.com;transport=udp", "sip:bob@example.com;transport=UDP"));
        assertEquals(-1, su.cmp_uri(c, "sip:bob@example.com", "sip:Bob@example.com"));
        assertEquals(-1, su.cmp_uri(c, "sip:bob@example.com", "sip:bob@example.com:5060"));
        assertEquals(-1, su.cmp_uri(c, "sip:bob@example.com;transport=tcp", "sip:bob@example.com"));
        assertEquals(1, su.cmp_aor(c, "sip:bob@example.com", "sip:bob@example.com:5060;x=y"));
    }

    @Test
    void optionsReplyOnlyForServerItself() throws Exception {
        String options = invite().replace("INVITE sip:bob@127.0.0.1", "OPTIONS sip:127.0.0.1:5080").replace("CSeq: 1 INVITE", "CSeq: 1 OPTIONS");
        assertEquals(1, su.options_reply(ctx(svc, options)));
        String text = svc.last().text();
        assertTrue(text.startsWith("SIP/2.0 200 OK\r\n"));
        assertTrue(text.contains("\r\nAccept: */*\r\nAccept-Encoding: \r\nAccept-Language: en\r\nSupported: \r\n"), text);
        assertEquals(-1, su.options_reply(ctx(svc, invite())));
    }

    @Test
    void hdrDateCheck() {
        String now = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        assertEquals(1, su.hdr_date_check(ctx(svc, invite("Date: " + now.replace("Z", "GMT").replace("+0000", "GMT"))), 60));
        assertEquals(-4, su.hdr_date_check(ctx(svc, invite("Date: Sat, 13 Nov 2010 23:29:00 GMT")), 60));
        assertEquals(-1, su.hdr_date_check(ctx(svc, invite()), 60));
        assertEquals(-1, su.hdr_date_check(ctx(svc, invite("Date: yesterday")), 60));
    }

    @Test
    void isGruu() {
        assertEquals(1, su.is_gruu(ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:bob@127.0.0.1;gr=urn:uuid:f81d "))));
        assertEquals(2, su.is_gruu(ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1 ", "INVITE sip:bob@127.0.0.1;gr "))));
        assertEquals(-1, su.is_gruu(ctx(svc, invite())));
        assertEquals(1, su.is_gruu(ctx(svc, invite()), "sip:alice@127.0.0.1;gr=urn:uuid:f81d"));
        assertEquals(2, su.is_gruu(ctx(svc, invite()), "sip:alice@127.0.0.1;gr"));
        assertEquals(-1, su.is_gruu(ctx(svc, invite()), "sip:alice@127.0.0.1"));
        assertEquals(-1, su.is_gruu(ctx(svc, invite()), "not a uri"));
    }
}
