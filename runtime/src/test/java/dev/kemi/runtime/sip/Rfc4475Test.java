package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 4475 torture messages: §3.1.1 valid, §3.1.2 invalid, §3.2/§3.3 where the parser is concerned. */
class Rfc4475Test {

    static SipMessage valid(String name) throws SipParseException {
        byte[] raw = TortureCorpus.load("valid", name);
        SipMessage m = SipMessage.parse(raw);
        m.validate();
        return m;
    }

    static List<String> validNames() {
        return TortureCorpus.VALID;
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void validMessagesRoundTripByteExact(String name) throws Exception {
        byte[] raw = TortureCorpus.load("valid", name);
        SipMessage m = SipMessage.parse(raw);
        m.validate();
        byte[] out = m.toBytes();
        assertArrayEquals(java.util.Arrays.copyOf(raw, out.length), out);
    }

    @Test
    void wsinv() throws Exception {
        SipMessage m = valid("wsinv");
        assertEquals("INVITE", m.method());
        assertEquals("sip:vivekg@chair-dnrc.example.com;unknownparam", m.requestUri());
        assertEquals("", m.parsedRequestUri().param("unknownparam"));
        assertEquals("1918181833n", m.to().tag());
        assertEquals("98asjd8", m.from().tag());
        assertEquals("J Rosenberg \\\\\\\"", m.from().displayName());
        assertEquals(68, m.maxForwards());
        assertEquals(9, m.cseq().value());
        List<Via> vias = m.vias();
        assertEquals(3, vias.size());
        assertEquals(List.of("UDP", "TCP", "UDP"), vias.stream().map(Via::transport).toList());
        assertEquals(List.of("192.0.2.2", "spindle.example.com", "192.168.255.111"), vias.stream().map(Via::host).toList());
        assertEquals(List.of("390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"), vias.stream().map(Via::branch).toList());
        assertEquals("", m.header("Subject"));
        assertEquals("newfangled value continued newfangled value", m.header("NewFangledHeader"));
        assertEquals(";;,,;;,;", m.header("UnknownHeaderWithUnusualValue"));
        NameAddr contact = m.contacts().get(0);
        assertEquals("Quoted string \\\"\\\"", contact.displayName());
        assertEquals("newvalue", contact.params().get("newparam"));
        assertEquals("", contact.params().get("secondparam"));
        assertEquals("0.33", contact.params().get("q"));
        assertEquals("", m.routes().get(0).parsedUri().param("unknown-no-value"));
        assertEquals(150, m.body().length);
    }

    @Test
    void intmeth() throws Exception {
        SipMessage m = valid("intmeth");
        String method = "!interesting-Method0123456789_*+`.%indeed'~";
        assertEquals(method, m.method());
        assertEquals(method, m.cseq().method());
        SipUri u = m.parsedRequestUri();
        assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", u.user());
        assertEquals("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", u.password());
        assertEquals("example.com", u.host());
        assertEquals("z9hG4bK-.!%66*_+`'~", m.topVia().branch());
        assertEquals("BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f", m.to().displayName());
        assertEquals("token1~` token2'+_ token3*%!.-", m.from().displayName());
        assertEquals("\"работающий\"", m.from().params().get("fromparam''~+*_!.-%"));
        assertEquals("_token~1'+`*%!-.", m.from().tag());
        assertEquals("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", m.callId());
        assertEquals("\ufeff大停電", m.header("extensionHeader-!.%*+_`'~"));
        assertEquals(255, m.maxForwards());
        assertEquals(0, m.body().length);
    }

    @Test
    void esc01() throws Exception {
        SipMessage m = valid("esc01");
        assertEquals("sips%3Auser%40example.com", m.parsedRequestUri().user());
        assertEquals("example.net", m.parsedRequestUri().host());
        assertEquals("%75se%72", m.to().parsedUri().user());
        assertEquals("I%20have%20spaces", m.from().parsedUri().user());
        SipUri c = m.contacts().get(0).parsedUri();
        assertEquals("cal%6Cer", c.user());
        assertEquals("v%61lue%25%34%31", c.param("n%61me"));
        assertEquals("application/sdp", m.contentType());
        assertEquals(150, m.body().length);
    }

    @Test
    void escnull() throws Exception {
        SipMessage m = valid("escnull");
        assertEquals("REGISTER", m.method());
        assertEquals("null-%00-null", m.to().parsedUri().user());
        assertEquals(List.of("%00", "%00%00"), m.contacts().stream().map(a -> {
            try {
                return a.parsedUri().user();
            } catch (SipParseException e) {
                throw new AssertionError(e);
            }
        }).toList());
        assertEquals(0, m.contentLength());
    }

    @Test
    void esc02() throws Exception {
        SipMessage m = valid("esc02");
        assertEquals("RE%47IST%45R", m.method());
        assertEquals(2, m.contacts().size());
        assertEquals("<sip:alias2@host2.example.com>", m.header("C%6Fntact"));
        assertEquals("%Z%45", m.to().displayName());
        assertEquals("z9hG4bK209%fzsnel234", m.topVia().branch());
    }

    @Test
    void lwsdisp() throws Exception {
        SipMessage m = valid("lwsdisp");
        assertEquals("OPTIONS", m.method());
        assertEquals("caller", m.from().displayName());
        assertEquals("sip:caller@example.com", m.from().uri());
        assertEquals("323", m.from().tag());
    }

    @Test
    void longreq() throws Exception {
        SipMessage m = valid("longreq");
        assertEquals(34, m.vias().size());
        assertEquals("sip33.example.com", m.topVia().host());
        Via last = m.vias().get(33);
        assertEquals("192.0.2.5", last.received());
        assertEquals("very" + "long".repeat(50) + "branchvalue", last.branch());
        assertEquals("1" + "298".repeat(50) + "2424", m.from().tag());
        assertEquals(6000, m.to().parsedUri().port());
        assertEquals("I have a user name of " + "extreme ".repeat(10) + "proportion", m.to().displayName());
        String name = "Unknown-" + "Long".repeat(20) + "-Name";
        assertTrue(m.header(name).startsWith("unknown-" + "long".repeat(20) + "-value;"));
        assertEquals(150, m.body().length);
    }

    @Test
    void dblreqIgnoresTheSecondMessage() throws Exception {
        byte[] raw = TortureCorpus.load("valid", "dblreq");
        SipMessage m = valid("dblreq");
        assertEquals("REGISTER", m.method());
        assertEquals(0, m.body().length);
        String out = new String(m.toBytes(), StandardCharsets.UTF_8);
        assertFalse(out.contains("INVITE"));
        assertTrue(out.length() < raw.length);
        assertTrue(out.endsWith("Content-Length: 0\r\n\r\n"));
    }

    @Test
    void semiuri() throws Exception {
        SipMessage m = valid("semiuri");
        SipUri u = m.parsedRequestUri();
        assertEquals("user;par=u%40example.net", u.user());
        assertEquals("example.com", u.host());
        assertTrue(u.params().isEmpty());
        assertEquals(List.of("application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed",
                "message/sip", "message/sipfrag"), m.headerValues("Accept"));
    }

    @Test
    void transports() throws Exception {
        SipMessage m = valid("transports");
        assertEquals(List.of("UDP", "SCTP", "TLS", "UNKNOWN", "TCP"), m.vias().stream().map(Via::transport).toList());
        assertEquals("transports.kijh4akdnaqjkwendsasfdj", m.callId());
    }

    @Test
    void mpart01() throws Exception {
        byte[] raw = TortureCorpus.load("valid", "mpart01");
        SipMessage m = valid("mpart01");
        assertEquals("MESSAGE", m.method());
        assertEquals(553, m.body().length);
        assertArrayEquals(java.util.Arrays.copyOfRange(raw, raw.length - 553, raw.length), m.body());
        assertEquals("multipart/mixed;boundary=7a9cbec02ceef655", m.contentType());
        assertEquals(5070, m.topVia().port());
        assertEquals(0, m.topVia().rport());
        assertEquals("sip:127.0.0.1:5080", m.routes().get(0).uri());
    }

    @Test
    void unreason() throws Exception {
        SipMessage m = valid("unreason");
        assertFalse(m.isRequest());
        assertEquals(200, m.status());
        assertEquals("= 2**3 * 5**2 но сто девяносто девять - простое", m.reason());
        assertEquals("INVITE", m.method());
        assertEquals(154, m.body().length);
    }

    @Test
    void noreason() throws Exception {
        SipMessage m = valid("noreason");
        assertEquals(100, m.status());
        assertEquals("", m.reason());
        assertTrue(new String(m.toBytes(), StandardCharsets.UTF_8).startsWith("SIP/2.0 100 \r\n"));
    }

    @Test
    void badbranchParses() throws Exception {
        SipMessage m = valid("badbranch");
        assertEquals("z9hG4bK", m.topVia().branch());
    }

    // ---- §3.1.2: each rejected by parse or validate with a specific reason

    static final Map<String, String> INVALID_REASONS = Map.ofEntries(
            Map.entry("badinv01", "Empty parameter in Via"),
            Map.entry("clerr", "Content-Length larger than message"),
            Map.entry("ncl", "Negative Content-Length"),
            Map.entry("scalar02", "CSeq number out of range"),
            Map.entry("scalarlg", "CSeq number out of range"),
            Map.entry("quotbal", "Unterminated quoted string in display name"),
            Map.entry("ltgtruri", "Request-URI enclosed in <>"),
            Map.entry("lwsruri", "Whitespace in Request-URI"),
            Map.entry("lwsstart", "Extra whitespace in Request-Line"),
            Map.entry("trws", "Trailing whitespace in Request-Line"),
            Map.entry("escruri", "Headers in Request-URI"),
            Map.entry("baddate", "Invalid Date (must be GMT)"),
            Map.entry("regbadct", "URI with ',' or '?' must be enclosed in <>"),
            Map.entry("badaspec", "Whitespace or empty URI inside <>"),
            Map.entry("baddn", "Invalid display name"),
            Map.entry("badvers", "Version Not Supported"),
            Map.entry("mismatch01", "CSeq method does not match request method"),
            Map.entry("mismatch02", "CSeq method does not match request method"),
            Map.entry("bigcode", "Invalid status code"));

    static List<String> invalidNames() {
        return TortureCorpus.INVALID;
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void invalidMessagesFailWithTheirReason(String name) {
        byte[] raw = TortureCorpus.load("invalid", name);
        SipParseException e = assertThrows(SipParseException.class, () -> SipMessage.parse(raw).validate());
        assertEquals(INVALID_REASONS.get(name), e.getMessage(), name);
    }

    @Test
    void invalidVersionAsks505() {
        SipParseException e = assertThrows(SipParseException.class, () -> SipMessage.parse(TortureCorpus.load("invalid", "badvers")));
        assertEquals(505, e.replyCode());
    }

    @Test
    void scalarsOutOfRangeFailOnTheirOwnAccessors() throws Exception {
        SipMessage m = SipMessage.parse(TortureCorpus.load("invalid", "scalar02"));
        assertEquals(-1, m.cseq().value());
        assertEquals("CSeq number out of range", assertThrows(SipParseException.class, m::validate).getMessage());
        assertEquals("Invalid Max-Forwards", assertThrows(SipParseException.class, m::maxForwards).getMessage());
        assertEquals("1" + "0".repeat(100), m.header("Expires"));
        assertEquals("280297596632815", m.contacts().get(0).params().get("expires"));
        String fixed = new String(TortureCorpus.load("invalid", "scalarlg"), StandardCharsets.UTF_8)
                .replace("9292394834772304023312", "92");
        SipParseException e = assertThrows(SipParseException.class,
                () -> SipMessage.parse(fixed.getBytes(StandardCharsets.UTF_8)).validate());
        assertEquals("Invalid Retry-After", e.getMessage());
    }

    // ---- §3.2 / §3.3: the parser does not break; validate says what to answer

    @Test
    void insufficientHeaders() throws Exception {
        byte[] raw = TortureCorpus.load("semantic", "insuf");
        SipMessage m = SipMessage.parse(raw);
        assertEquals("Missing from header", assertThrows(SipParseException.class, m::validate).getMessage());
        assertNull(m.callId());
        assertNull(SipMessage.parseForErrorReply(raw));
    }

    @Test
    void unknownRequestUriSchemesAsk416() throws Exception {
        for (String n : List.of("unkscm", "novelsc")) {
            SipMessage m = SipMessage.parse(TortureCorpus.load("semantic", n));
            assertEquals("OPTIONS", m.method());
            SipParseException e = assertThrows(SipParseException.class, m::validate);
            assertEquals(416, e.replyCode(), n);
        }
        assertEquals("soap.beep://192.0.2.103:3002", SipMessage.parse(TortureCorpus.load("semantic", "novelsc")).requestUri());
    }

    @Test
    void unknownSchemesInHeaders() throws Exception {
        SipMessage m = SipMessage.parse(TortureCorpus.load("semantic", "unksm2"));
        m.validate();
        assertEquals("isbn:2983792873", m.to().uri());
        assertEquals("http://www.example.com", m.from().uri());
        assertEquals("name:John_Smith", m.contacts().get(0).uri());
        assertEquals(416, assertThrows(SipParseException.class, () -> m.contacts().get(0).parsedUri()).replyCode());
    }

    @Test
    void otherSemanticMessagesParseAndValidate() throws Exception {
        SipMessage bext = SipMessage.parse(TortureCorpus.load("semantic", "bext01"));
        bext.validate();
        assertEquals(List.of("nothingSupportsThis", "nothingSupportsThisEither"), bext.headerValues("Require"));
        assertEquals(2, bext.headerValues("Proxy-Require").size());
        SipMessage invut = SipMessage.parse(TortureCorpus.load("semantic", "invut"));
        invut.validate();
        assertEquals("application/unknownformat", invut.contentType());
        assertEquals(40, invut.body().length);
        SipMessage aut = SipMessage.parse(TortureCorpus.load("semantic", "regaut01"));
        aut.validate();
        assertEquals("NoOneKnowsThisScheme opaque-data=here", aut.header("authorization"));
        SipMessage bcast = SipMessage.parse(TortureCorpus.load("semantic", "bcast"));
        bcast.validate();
        assertEquals("255.255.255.255", bcast.vias().get(1).host());
        SipMessage zeromf = SipMessage.parse(TortureCorpus.load("semantic", "zeromf"));
        zeromf.validate();
        assertEquals(0, zeromf.maxForwards());
        SipMessage c1 = SipMessage.parse(TortureCorpus.load("semantic", "cparam01"));
        c1.validate();
        assertEquals("", c1.contacts().get(0).params().get("unknownparam"));
        assertTrue(c1.contacts().get(0).parsedUri().params().isEmpty());
        SipMessage c2 = SipMessage.parse(TortureCorpus.load("semantic", "cparam02"));
        c2.validate();
        assertTrue(c2.contacts().get(0).params().isEmpty());
        assertEquals("", c2.contacts().get(0).parsedUri().param("unknownparam"));
        SipMessage esc = SipMessage.parse(TortureCorpus.load("semantic", "regescrt"));
        esc.validate();
        assertEquals("Route=%3Csip:sip.example.com%3E", esc.contacts().get(0).parsedUri().headers());
        SipMessage sdp = SipMessage.parse(TortureCorpus.load("semantic", "sdp01"));
        sdp.validate();
        assertEquals("text/nobodyKnowsThis", sdp.header("Accept"));
    }

    @Test
    void multipleSingleValueFieldsAreRejected() throws Exception {
        // as published, multi01's body is 2 octets shorter than its l: 154
        byte[] raw = TortureCorpus.load("semantic", "multi01");
        assertEquals("Content-Length larger than message",
                assertThrows(SipParseException.class, () -> SipMessage.parse(raw).validate()).getMessage());
        String fixed = new String(raw, StandardCharsets.UTF_8).replace("l: 154", "l: 152");
        SipMessage m = SipMessage.parse(fixed.getBytes(StandardCharsets.UTF_8));
        assertEquals("Multiple from headers", assertThrows(SipParseException.class, m::validate).getMessage());
        assertNotNull(SipMessage.parseForErrorReply(raw));
    }

    @Test
    void conflictingContentLengthsAreRejected() {
        assertEquals("Conflicting Content-Length values", assertThrows(SipParseException.class,
                () -> SipMessage.parse(TortureCorpus.load("semantic", "mcl01"))).getMessage());
    }
}
