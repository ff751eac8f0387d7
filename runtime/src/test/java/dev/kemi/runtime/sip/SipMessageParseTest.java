package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipMessageParseTest {

    static final String INVITE = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: Bob <sip:bob@biloxi.example.com>\r\n"
            + "From: \"Alice, A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 4\r\n"
            + "\r\n"
            + "v=0\n";

    static SipMessage parse(String s) throws SipParseException {
        return SipMessage.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesRequestLineAndCommonHeaders() throws Exception {
        SipMessage m = parse(INVITE);
        assertTrue(m.isRequest());
        assertEquals("INVITE", m.method());
        assertEquals("sip:bob@biloxi.example.com", m.requestUri());
        assertEquals(0, m.status());
        assertNull(m.reason());
        assertEquals("a84b4c76e66710@pc33.atlanta.example.com", m.callId());
        assertEquals(new CSeq(314159, "INVITE"), m.cseq());
        assertEquals(70, m.maxForwards());
        assertEquals("application/sdp", m.contentType());
        assertEquals("v=0\n", new String(m.body(), StandardCharsets.UTF_8));
        Via v = m.topVia();
        assertEquals("UDP", v.transport());
        assertEquals("pc33.atlanta.example.com", v.host());
        assertEquals(5060, v.port());
        assertEquals("z9hG4bK776asdhds", v.branch());
        assertEquals(0, v.rport());
        assertEquals("Alice, A.", m.from().displayName());
        assertEquals("1928301774", m.from().tag());
        assertNull(m.to().tag());
        assertEquals("Bob", m.to().displayName());
        assertEquals("sip:bob@biloxi.example.com", m.to().uri());
    }

    @Test
    void roundTripIsByteExactWithoutEdits() throws Exception {
        byte[] in = INVITE.getBytes(StandardCharsets.UTF_8);
        SipMessage m = SipMessage.parse(in);
        m.topVia();
        m.from();
        assertArrayEquals(in, m.toBytes());
        assertArrayEquals(in, m.rawBytes());
    }

    @Test
    void parsesResponse() throws Exception {
        SipMessage m = parse("SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                + "CSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n");
        assertFalse(m.isRequest());
        assertEquals(180, m.status());
        assertEquals("Ringing", m.reason());
        assertEquals("INVITE", m.method());
        assertNull(m.requestUri());
    }

    @Test
    void compactFormsEqualLongNames() throws Exception {
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\nv: SIP/2.0/TCP a.b;branch=z9hG4bK2\r\n"
                + "f: <sip:a@b>;tag=1\r\nt: sip:x@y\r\ni: cid\r\nCSeq: 1 OPTIONS\r\nm: <sip:c@d>\r\n"
                + "l: 0\r\nc: text/plain\r\nk: path\r\n\r\n");
        assertEquals("cid", m.header("Call-ID"));
        assertEquals("cid", m.header("i"));
        assertEquals("cid", m.callId());
        assertEquals("1", m.from().tag());
        assertEquals("sip:x@y", m.to().uri());
        assertEquals("TCP", m.topVia().transport());
        assertEquals("text/plain", m.contentType());
        assertEquals(0, m.contentLength());
        assertTrue(m.hasHeader("SUPPORTED"));
        assertEquals("sip:c@d", m.contacts().get(0).uri());
        assertEquals("SIP/2.0/TCP a.b;branch=z9hG4bK2", m.header("VIA"));
    }

    @Test
    void unfoldsContinuationLines() throws Exception {
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\nSubject: I know you're there,\r\n"
                + "   pick up the phone\r\n  and talk to me!\r\nVia: SIP/2.0/UDP\r\n h\r\n\t;branch=z9hG4bKf\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals("I know you're there, pick up the phone and talk to me!", m.header("subject"));
        assertEquals("SIP/2.0/UDP h ;branch=z9hG4bKf", m.header("v"));
        assertEquals("h", m.topVia().host());
        assertEquals("z9hG4bKf", m.topVia().branch());
    }

    @Test
    void splitsListsOnlyOutsideQuotesAndBrackets() throws Exception {
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\n"
                + "Contact: \"A, B\" <sip:a@b;x=1,2>, <sip:c@d>;q=0.5\r\n"
                + "Contact: sip:e@f\r\n"
                + "Subject: hello, world\r\n"
                + "X-Custom: a, b\r\n"
                + "Via: SIP/2.0/UDP h1;branch=z9hG4bK1, SIP/2.0/UDP h2;branch=z9hG4bK2\r\n"
                + "Via: SIP/2.0/UDP h3;branch=z9hG4bK3\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertEquals(List.of("\"A, B\" <sip:a@b;x=1,2>", "<sip:c@d>;q=0.5", "sip:e@f"), m.headerValues("m"));
        assertEquals(List.of("hello, world"), m.headerValues("Subject"));
        assertEquals(List.of("a, b"), m.headerValues("x-custom"));
        assertEquals(2, m.headers("Contact").size());
        assertEquals(3, m.contacts().size());
        assertEquals("A, B", m.contacts().get(0).displayName());
        assertEquals("0.5", m.contacts().get(1).params().get("q"));
        List<Via> vias = m.vias();
        assertEquals(3, vias.size());
        assertEquals("h2", vias.get(1).host());
        assertEquals("h1", m.topVia().host());
    }

    @Test
    void headerNamesAreCaseInsensitiveAndWhitespaceTolerant() throws Exception {
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\nX-FOO  :   bar  \r\ncall-id:abc\r\nContent-Length: 0\r\n\r\n");
        assertEquals("bar", m.header("x-foo"));
        assertEquals("abc", m.header("CALL-ID"));
        List<Header> all = m.allHeaders();
        assertEquals("X-FOO", all.get(0).name());
        assertEquals("x-foo", all.get(0).canonicalName());
        assertEquals("OPTIONS sip:x@y SIP/2.0\r\n".length(), all.get(0).start());
    }

    @Test
    void bodyIsByteExactAndTrailingBytesIgnored() throws Exception {
        byte[] head = "MESSAGE sip:x@y SIP/2.0\r\nContent-Length: 4\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] in = new byte[head.length + 10];
        System.arraycopy(head, 0, in, 0, head.length);
        byte[] body = {0, (byte) 0xff, '\r', '\n'};
        System.arraycopy(body, 0, in, head.length, 4);
        SipMessage m = SipMessage.parse(in);
        assertArrayEquals(body, m.body());
        assertEquals(head.length + 4, m.toBytes().length);
    }

    @Test
    void noContentLengthTakesRestAsBody() throws Exception {
        SipMessage m = parse("MESSAGE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\nhello");
        assertEquals("hello", new String(m.body(), StandardCharsets.US_ASCII));
        assertEquals(-1, m.contentLength());
    }

    @Test
    void acceptsBareLfLinesAndLeadingCrlf() throws Exception {
        SipMessage m = parse("\r\n\r\nOPTIONS sip:x@y SIP/2.0\nCall-ID: q\nContent-Length: 0\n\n");
        assertEquals("q", m.callId());
        assertEquals("OPTIONS sip:x@y SIP/2.0\nCall-ID: q\nContent-Length: 0\n\n", new String(m.toBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void rejectsBrokenFraming() {
        // a short body is taken as it arrived (Kamailio's core does; sanity_check() answers 400)
        assertEquals("ab", new String(assertDoesNotThrow(() -> parse("OPTIONS sip:x@y SIP/2.0\r\nContent-Length: 10\r\n\r\nab")).body(), StandardCharsets.US_ASCII));
        assertEquals("Content-Length larger than message",
                assertThrows(SipParseException.class, () -> parse("OPTIONS sip:x@y SIP/2.0\r\nContent-Length: 10\r\n\r\nab").validate()).getMessage());
        assertEquals("Negative Content-Length",
                assertThrows(SipParseException.class, () -> parse("OPTIONS sip:x@y SIP/2.0\r\nContent-Length: -1\r\n\r\n")).getMessage());
        assertEquals("Missing empty line after headers",
                assertThrows(SipParseException.class, () -> parse("OPTIONS sip:x@y SIP/2.0\r\nCall-ID: 1\r\n")).getMessage());
        assertEquals("Missing colon after header name",
                assertThrows(SipParseException.class, () -> parse("OPTIONS sip:x@y SIP/2.0\r\nCall-ID 1\r\n\r\n")).getMessage());
        assertEquals("Conflicting Content-Length values",
                assertThrows(SipParseException.class, () -> parse("OPTIONS sip:x@y SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nab")).getMessage());
    }

    @Test
    void rejectsBadFirstLines() {
        assertEquals("Extra whitespace in Request-Line",
                assertThrows(SipParseException.class, () -> parse("INVITE  sip:x@y SIP/2.0\r\n\r\n")).getMessage());
        assertEquals("Trailing whitespace in Request-Line",
                assertThrows(SipParseException.class, () -> parse("INVITE sip:x@y SIP/2.0 \r\n\r\n")).getMessage());
        assertEquals("Request-URI enclosed in <>",
                assertThrows(SipParseException.class, () -> parse("INVITE <sip:x@y> SIP/2.0\r\n\r\n")).getMessage());
        SipParseException v = assertThrows(SipParseException.class, () -> parse("INVITE sip:x@y SIP/7.0\r\n\r\n"));
        assertEquals(505, v.replyCode());
        assertEquals("Invalid status code",
                assertThrows(SipParseException.class, () -> parse("SIP/2.0 4294967301 Big\r\n\r\n")).getMessage());
        assertEquals("Invalid method",
                assertThrows(SipParseException.class, () -> parse("INV(ITE sip:x@y SIP/2.0\r\n\r\n")).getMessage());
    }

    @Test
    void enforcesLimits() {
        StringBuilder many = new StringBuilder("OPTIONS sip:x@y SIP/2.0\r\n");
        for (int i = 0; i <= SipMessage.MAX_HEADERS; i++) many.append("X-H: ").append(i).append("\r\n");
        many.append("\r\n");
        assertTrue(assertThrows(SipParseException.class, () -> parse(many.toString())).getMessage().startsWith("Too many header fields"));
        String longLine = "OPTIONS sip:x@y SIP/2.0\r\nX-Long: " + "a".repeat(SipMessage.MAX_LINE_LENGTH) + "\r\n\r\n";
        assertTrue(assertThrows(SipParseException.class, () -> parse(longLine)).getMessage().startsWith("Header field too long"));
        byte[] huge = new byte[SipMessage.MAX_MESSAGE_SIZE + 1];
        assertTrue(assertThrows(SipParseException.class, () -> SipMessage.parse(huge)).getMessage().startsWith("Message too large"));
    }

    @Test
    void requestUriParsing() throws Exception {
        SipMessage m = parse("INVITE sips:alice:pw@[2001:db8::1]:5071;transport=tcp;lr?subject=x SIP/2.0\r\nContent-Length: 0\r\n\r\n");
        assertEquals("Headers in Request-URI", assertThrows(SipParseException.class, m::parsedRequestUri).getMessage());
        SipMessage n = parse("INVITE soap.beep://192.0.2.103:3002 SIP/2.0\r\nContent-Length: 0\r\n\r\n");
        assertEquals(416, assertThrows(SipParseException.class, n::parsedRequestUri).replyCode());
    }

    @Test
    void parsesASliceOfALargerBuffer() throws Exception {
        byte[] msg = INVITE.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[msg.length + 20];
        System.arraycopy(msg, 0, buf, 7, msg.length);
        SipMessage m = SipMessage.parse(buf, 7, msg.length);
        assertEquals("INVITE", m.method());
        assertEquals(7 + "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n".length(), m.allHeaders().get(0).start());
        assertArrayEquals(msg, m.toBytes());
        m.appendHeader("X: 1");
        assertEquals(msg.length + 6, m.toBytes().length);
    }

    @Test
    void headerCountsAndAbsentHeaders() throws Exception {
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP a\r\nv: SIP/2.0/UDP b\r\nContent-Length: 0\r\n\r\n");
        assertEquals(2, m.headerCount("via"));
        assertEquals(0, m.headerCount("Route"));
        assertNull(m.header("From"));
        assertNull(m.callId());
        assertEquals(-1, m.maxForwards());
        assertTrue(m.routes().isEmpty());
        assertTrue(m.contacts().isEmpty());
        assertEquals("Missing From header", assertThrows(SipParseException.class, m::from).getMessage());
        assertEquals("Missing CSeq header", assertThrows(SipParseException.class, m::cseq).getMessage());
        assertEquals("OPTIONS", m.method());
    }
}
