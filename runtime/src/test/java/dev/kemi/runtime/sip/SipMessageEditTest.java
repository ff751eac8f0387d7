package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipMessageEditTest {

    static final String REQ = "INVITE sip:bob@b.example SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP a.example;branch=z9hG4bK1;rport\r\n"
            + "From: <sip:alice@a.example>;tag=1\r\n"
            + "To: <sip:bob@b.example>\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "X-A: one\r\n"
            + "X-A: two\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 5\r\n"
            + "\r\n"
            + "hello";

    static SipMessage parse(String s) throws SipParseException {
        return SipMessage.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    static String out(SipMessage m) {
        return new String(m.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void appendAndInsertHeaders() throws Exception {
        SipMessage m = parse(REQ);
        m.appendHeader("X-End: 1");
        m.insertHeader("X-Start: 2\r\n");
        m.insertHeaderBefore("X-Before: 3", "call-id");
        m.appendHeaderAfter("X-After: 4", "x-a");
        m.insertHeaderBefore("X-Missing: 5", "x-nope");
        assertEquals(REQ.replace("INVITE sip:bob@b.example SIP/2.0\r\n", "INVITE sip:bob@b.example SIP/2.0\r\nX-Start: 2\r\n")
                .replace("Call-ID: c1\r\n", "X-Before: 3\r\nCall-ID: c1\r\n")
                .replace("X-A: one\r\n", "X-A: one\r\nX-After: 4\r\n")
                .replace("Content-Length: 5\r\n", "Content-Length: 5\r\nX-End: 1\r\nX-Missing: 5\r\n"), out(m));
        // reads still see the received message
        assertFalse(m.hasHeader("X-End"));
        assertNull(m.header("X-Start"));
    }

    @Test
    void removeHeaders() throws Exception {
        SipMessage m = parse(REQ);
        assertEquals(2, m.removeHeaders("x-a"));
        assertEquals(0, m.removeHeaders("x-none"));
        assertEquals(REQ.replace("X-A: one\r\nX-A: two\r\n", ""), out(m));
        assertEquals("one", m.header("X-A"));
        SipMessage n = parse(REQ);
        n.removeHeader(n.allHeaders().get(6));
        assertEquals(REQ.replace("X-A: two\r\n", ""), out(n));
    }

    @Test
    void rewriteRequestUriIsVisible() throws Exception {
        SipMessage m = parse(REQ);
        m.setRequestUri("sip:bob@10.0.0.1:5070;transport=tcp");
        assertEquals("sip:bob@10.0.0.1:5070;transport=tcp", m.requestUri());
        assertEquals("sip:bob@b.example", m.originalRequestUri());
        assertEquals(5070, m.parsedRequestUri().port());
        m.setRequestUri("sip:x@y");
        assertEquals(REQ.replace("INVITE sip:bob@b.example SIP/2.0", "INVITE sip:x@y SIP/2.0"), out(m));
    }

    @Test
    void droppedCachesAreDecodedAgainAndEditsKept() throws Exception {
        SipMessage m = parse(REQ);
        assertEquals("1", m.from().tag());
        m.removeHeaders("x-a");
        m.setRequestUri("sip:x@y");
        String before = out(m);
        m.dropCaches();
        assertEquals("1", m.from().tag());
        assertEquals("a.example", m.topVia().host());
        assertEquals("sip:x@y", m.requestUri());
        assertEquals("sip:bob@b.example", m.originalRequestUri());
        assertEquals(before, out(m));
    }

    @Test
    void anAppliedStepIsMarkedOnItsCopyOnly() throws Exception {
        SipMessage m = parse(REQ);
        assertTrue(m.markApplied(SipMessage.APPLIED_RECORD_ROUTE));
        assertFalse(m.markApplied(SipMessage.APPLIED_RECORD_ROUTE));
        assertTrue(m.markApplied(SipMessage.APPLIED_OUTGOING_HEADERS));
        assertTrue(m.copy().markApplied(SipMessage.APPLIED_RECORD_ROUTE), "a new copy is a new outgoing message");
    }

    @Test
    void replaceBodyRecomputesContentLength() throws Exception {
        SipMessage m = parse(REQ);
        m.setBody("hi there".getBytes(StandardCharsets.UTF_8), "application/x-test");
        assertEquals(REQ.replace("Content-Length: 5", "Content-Length: 8").replace("text/plain", "application/x-test")
                .replace("hello", "hi there"), out(m));
        assertEquals("hello", new String(m.body(), StandardCharsets.UTF_8));
        SipMessage back = SipMessage.parse(m.toBytes());
        assertEquals(8, back.contentLength());
    }

    @Test
    void replaceBodyAddsContentLengthAndTypeWhenAbsent() throws Exception {
        String noCl = "MESSAGE sip:x@y SIP/2.0\r\nCall-ID: 1\r\n\r\n";
        SipMessage m = parse(noCl);
        m.setBody("abc".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertEquals("MESSAGE sip:x@y SIP/2.0\r\nCall-ID: 1\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc", out(m));
    }

    @Test
    void compactContentLengthKeepsItsName() throws Exception {
        SipMessage m = parse("MESSAGE sip:x@y SIP/2.0\r\nl:5\r\n\r\nhello");
        m.setBody(new byte[0], null);
        assertEquals("MESSAGE sip:x@y SIP/2.0\r\nl:0\r\n\r\n", out(m));
    }

    @Test
    void prependViaAndRecordRoute() throws Exception {
        SipMessage m = parse(REQ);
        m.insertRecordRoute("<sip:proxy.example;lr>");
        m.prependVia("SIP/2.0/UDP proxy.example;branch=z9hG4bKp");
        assertEquals(REQ.replace("INVITE sip:bob@b.example SIP/2.0\r\n", "INVITE sip:bob@b.example SIP/2.0\r\n"
                + "Record-Route: <sip:proxy.example;lr>\r\nVia: SIP/2.0/UDP proxy.example;branch=z9hG4bKp\r\n"), out(m));
        assertEquals("a.example", m.topVia().host());
    }

    @Test
    void prependViaGoesBeforeFirstViaEvenIfNotFirstHeader() throws Exception {
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\nCall-ID: 1\r\nv: SIP/2.0/UDP h\r\nContent-Length: 0\r\n\r\n");
        m.prependVia("SIP/2.0/TCP me");
        assertEquals("OPTIONS sip:x@y SIP/2.0\r\nCall-ID: 1\r\nVia: SIP/2.0/TCP me\r\nv: SIP/2.0/UDP h\r\nContent-Length: 0\r\n\r\n", out(m));
    }

    @Test
    void removeTopViaField() throws Exception {
        SipMessage m = parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP me;branch=z9hG4bKa\r\nVia: SIP/2.0/UDP them;branch=z9hG4bKb\r\nContent-Length: 0\r\n\r\n");
        m.removeTopVia();
        assertEquals("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP them;branch=z9hG4bKb\r\nContent-Length: 0\r\n\r\n", out(m));
        assertEquals("me", m.topVia().host());
    }

    @Test
    void removeTopViaValueOfMultiValueField() throws Exception {
        SipMessage m = parse("SIP/2.0 200 OK\r\nv: SIP/2.0/UDP me;branch=z9hG4bKa ,\r\n SIP/2.0/UDP them;branch=z9hG4bKb\r\nContent-Length: 0\r\n\r\n");
        m.removeTopVia();
        assertEquals("SIP/2.0 200 OK\r\nv: SIP/2.0/UDP them;branch=z9hG4bKb\r\nContent-Length: 0\r\n\r\n", out(m));
        assertEquals("them", SipMessage.parse(m.toBytes()).topVia().host());
    }

    @Test
    void setTopViaParams() throws Exception {
        SipMessage m = parse(REQ);
        m.setTopViaParam("rport", "5066");
        m.setTopViaParam("received", "192.0.2.9");
        assertEquals(REQ.replace(";branch=z9hG4bK1;rport\r\n", ";branch=z9hG4bK1;rport=5066;received=192.0.2.9\r\n"), out(m));
        Via v = SipMessage.parse(m.toBytes()).topVia();
        assertEquals(5066, v.rport());
        assertEquals("192.0.2.9", v.received());
    }

    @Test
    void setTopViaParamOnMultiValueFieldTouchesFirstValueOnly() throws Exception {
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP a;received=1.1.1.1, SIP/2.0/UDP b\r\nContent-Length: 0\r\n\r\n");
        m.setTopViaParam("received", "2.2.2.2");
        m.setTopViaParam("rport", "9");
        assertEquals("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP a;received=2.2.2.2;rport=9, SIP/2.0/UDP b\r\nContent-Length: 0\r\n\r\n", out(m));
    }

    @Test
    void copyHasIndependentEdits() throws Exception {
        SipMessage m = parse(REQ);
        m.appendHeader("X-Shared: 1");
        SipMessage b1 = m.copy();
        SipMessage b2 = m.copy();
        b1.setRequestUri("sip:one@x");
        b1.prependVia("SIP/2.0/UDP p;branch=z9hG4bK.1");
        b2.setRequestUri("sip:two@x");
        b2.prependVia("SIP/2.0/UDP p;branch=z9hG4bK.2");
        m.appendHeader("X-Late: 1");
        String o1 = out(b1), o2 = out(b2), o = out(m);
        assertTrue(o1.startsWith("INVITE sip:one@x SIP/2.0\r\nVia: SIP/2.0/UDP p;branch=z9hG4bK.1\r\nVia:"));
        assertTrue(o2.startsWith("INVITE sip:two@x SIP/2.0\r\nVia: SIP/2.0/UDP p;branch=z9hG4bK.2\r\nVia:"));
        assertTrue(o1.contains("X-Shared: 1") && o2.contains("X-Shared: 1"));
        assertFalse(o1.contains("X-Late") || o2.contains("X-Late"));
        assertTrue(o.contains("X-Late") && o.startsWith("INVITE sip:bob@b.example"));
        assertEquals("sip:one@x", b1.requestUri());
        assertEquals("sip:bob@b.example", m.requestUri());
    }

    @Test
    void editsInsideRemovedHeaderAreDropped() throws Exception {
        SipMessage m = parse(REQ);
        m.setTopViaParam("received", "1.2.3.4");
        m.removeHeaders("via");
        m.insertHeaderBefore("X-Was-Via: 1", "Via");
        assertEquals(REQ.replace("Via: SIP/2.0/UDP a.example;branch=z9hG4bK1;rport\r\n", "X-Was-Via: 1\r\n"), out(m));
    }

    @Test
    void untouchedBytesStayExact() throws Exception {
        String odd = "OPTIONS sip:x@y SIP/2.0\r\nsUbJeCt :  odd   spacing \r\n\tfolded\r\nVia: SIP/2.0/UDP h\r\nContent-Length: 0\r\n\r\n";
        SipMessage m = parse(odd);
        m.appendHeader("X: y");
        assertEquals(odd.replace("Content-Length: 0\r\n\r\n", "Content-Length: 0\r\nX: y\r\n\r\n"), out(m));
        assertEquals(List.of("odd   spacing folded"), m.headers("subject"));
    }
}
