package dev.kemi.runtime.modules.textops;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class TextopsModuleTest {
    private final TextopsModule t = new TextopsModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080));

    private static final String SDP = "v=0\no=- 1 1 IN IP4 127.0.0.2\ns=-\nc=IN IP4 127.0.0.2\nt=0 0\nm=audio 4000 RTP/AVP 0\na=sendonly\n";

    private MessageContext withSdp(String sdp) {
        String body = sdp.replace("\n", "\r\n");
        return ctx(svc, invite("Content-Type: application/sdp").replace("Content-Length: 0", "Content-Length: " + body.length()) + sdp);
    }

    @Test
    void searchesTheReceivedMessage() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, t.search(c, "^call-id: call-1"));
        assertEquals(1, t.search(c, "^INVITE sip:[[:alpha:]]+@"));
        assertEquals(-1, t.search(c, "^X-Nope"));
        assertEquals(1, t.search(c, ""));
        assertEquals(-1, t.search_body(c, "v=0"));
        assertEquals(1, t.search_body(withSdp(SDP), "^m=audio [0-9]+"));
        assertEquals(1, t.search_hf(c, "From", "alice", "f"));
    }

    /** strftime's format in the C locale: zero-padded day, English names, GMT. */
    @Test
    void appendTimeDateIsKamailios() {
        assertEquals("Date: Sun, 06 Dec 2026 07:05:09 GMT", TextopsModule.dateHeader(java.time.Instant.parse("2026-12-06T07:05:09Z")));
        assertEquals(1, t.appendTime(ctx(svc, invite())));
    }

    @Test
    void removeHfDiffersBetweenNativeAndKemi() {
        MessageContext c = ctx(svc, invite("X-A: 1", "X-A: 2"));
        assertEquals(1, t.removeHfNative(c, "X-A"));
        assertFalse(c.msg().toString().contains("X-A"));
        MessageContext d = ctx(svc, invite());
        assertEquals(-1, t.removeHfNative(d, "X-A"));
        assertEquals(1, t.remove_hf(d, "X-A"));
        MessageContext e = ctx(svc, invite());
        assertEquals(1, t.remove_hf_re(e, "^(contact|max-forwards)$"));
        assertFalse(e.msg().toString().contains("Contact:"));
        assertFalse(e.msg().toString().contains("Max-Forwards:"));
        assertEquals(-1, t.remove_hf_re(ctx(svc, invite()), "^X-"));
    }

    @Test
    void appendAndInsertHeaders() {
        MessageContext c = ctx(svc, invite());
        t.appendHf(c, "X-Last: 1\r\n");
        t.appendHf(c, "X-After-From: 2\r\n", "From");
        t.insertHf(c, "X-First: 3\r\n");
        t.insertHf(c, "X-Before-CSeq: 4", "CSeq");
        String out = c.msg().toString();
        assertTrue(out.contains("SIP/2.0\r\nX-First: 3\r\nVia:"), out);
        assertTrue(out.contains(";tag=f1\r\nX-After-From: 2\r\nTo:"), out);
        assertTrue(out.contains("\r\nX-Before-CSeq: 4\r\nCSeq:"), out);
        assertTrue(out.contains("\r\nX-Last: 1\r\n\r\n"), out);
        assertEquals(1, t.is_present_hf(c, "f"));
        assertEquals(-1, t.is_present_hf(c, "X-Last"));
        assertEquals(1, t.is_present_hf_re(c, "^call-"));
    }

    @Test
    void substAndReplaceOnHeaders() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, t.subst(c, "/^(From:.*)alice(.*)$/\\1carol\\2/"));
        String out = c.msg().toString();
        assertTrue(out.contains("From: \"Alice\" <sip:carol@127.0.0.2>;tag=f1\r\n"), out);
        assertTrue(out.indexOf("From:") < out.indexOf("To:"), out);
        assertEquals(-1, t.subst(ctx(svc, invite()), "/zzz/y/"));
        MessageContext d = ctx(svc, invite());
        assertEquals(1, t.replace_all(d, "127\\.0\\.0\\.2", "10.9.9.9"));
        assertFalse(d.msg().toString().contains("127.0.0.2"));
        assertTrue(d.msg().toString().startsWith("INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"));
    }

    @Test
    void editsOfDifferentFieldsCompose() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, t.subst(c, "/^To: (.*)$/To: \\1;x=1/"));
        assertEquals(1, t.replace(c, "alice", "carol"));
        assertEquals(1, t.removeHfNative(c, "Contact"));
        t.insertHf(c, "X-Ins: 1\r\n", "CSeq");
        assertEquals(1, t.subst(c, "/bob/dave/"));
        String out = c.msg().toString();
        // '.' matches the CR before the LF (glibc REG_NEWLINE): \1 carries it and the LF stays after ;x=1, byte for byte as Kamailio
        assertTrue(out.contains("\r\nFrom: \"carol\" <sip:alice@127.0.0.2>;tag=f1\r\nTo: <sip:bob@127.0.0.1>\r;x=1\n"
                + "Call-ID: call-1@127.0.0.2\r\nX-Ins: 1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"), out);
        assertEquals(1, out.split("From:", -1).length - 1, out);
    }

    @Test
    void substReplacesThePosixLeftmostLongestMatch() {
        // glibc's regexec takes "ab" for a|ab (a backtracking engine takes "a"): Kamailio gives Xc
        MessageContext c = ctx(svc, invite("X-S: abc"));
        assertEquals(1, t.subst_hf(c, "X-S", "/a|ab/X/", "a"));
        assertTrue(c.msg().toString().contains("\r\nX-S: Xc\r\n"), c.msg().toString());
    }

    @Test
    void headerScopedEdits() {
        MessageContext c = ctx(svc, invite("X-A: one", "X-A: two", "X-B: b"));
        assertEquals(1, t.subst_hf(c, "X-A", "/o/0/g", "a"));
        assertEquals(-1, t.subst_hf(c, "X-C", "/o/0/", "a"));
        assertEquals(1, t.remove_hf_exp(c, "^X-", "^X-A"));
        assertEquals(1, t.replace_hdrs(c, "alice", "carol"));
        String out = c.msg().toString();
        assertTrue(out.contains("\r\nX-A: 0ne\r\nX-A: tw0\r\nContent-Length: 0\r\n"), out);
        assertTrue(out.contains("From: \"carol\" <sip:alice@127.0.0.2>"), out); // case-insensitive: the display name matches first
    }

    @Test
    void substUriAndUser() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, t.subst_uri(c, "/^sip:bob@(.*)$/sip:carol@\\1;x=1/"));
        assertEquals("sip:carol@127.0.0.1;x=1", c.msg().requestUri());
        assertEquals(1, t.subst_user(c, "/carol/dave/"));
        assertEquals("sip:dave@127.0.0.1;x=1", c.msg().requestUri());
    }

    @Test
    void bodies() {
        MessageContext c = withSdp(SDP);
        assertEquals(1, t.has_body(c));
        assertEquals(1, t.has_body_type(c, "application/sdp"));
        assertEquals(-1, t.has_body_type(c, "text/plain"));
        assertEquals(-1, t.has_body(ctx(svc, invite())));
        assertEquals(1, t.is_audio_on_hold(c));
        assertEquals(-1, t.is_audio_on_hold(withSdp(SDP.replace("a=sendonly", "a=sendrecv"))));
        assertEquals(1, t.is_audio_on_hold(withSdp(SDP.replace("c=IN IP4 127.0.0.2", "c=IN IP4 0.0.0.0").replace("a=sendonly\n", ""))));
        assertEquals(1, t.subst(c, "/a=sendonly/a=sendrecv/"));
        assertTrue(c.msg().toString().endsWith("a=sendrecv\r\n"), c.msg().toString());
        assertEquals(1, t.subst_body(c, "/4000/5000/"));
        assertTrue(c.msg().toString().contains("m=audio 5000 RTP/AVP 0"));
        MessageContext d = ctx(svc, invite());
        assertEquals(1, t.set_body(d, "hello", "text/plain"));
        String out = d.msg().toString();
        assertTrue(out.contains("Content-Type: text/plain\r\n") && out.contains("Content-Length: 5\r\n") && out.endsWith("\r\n\r\nhello"), out);
    }

    @Test
    void stringHelpers() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, t.in_list(c, "b", "a, b,c", ","));
        assertEquals(-1, t.in_list(c, "d", "a,b,c", ","));
        assertEquals(1, t.cmp_str(c, "abc", "abc"));
        assertEquals(-1, t.cmp_str(c, "abd", "abc"));
        assertEquals(1, t.cmp_istr(c, "ABC", "abc"));
        assertEquals(1, t.starts_with(c, "abcdef", "abc"));
        assertEquals(-1, t.starts_with(c, "abcdef", "bc"));
        assertEquals(1, t.ends_with(c, "abcdef", "def"));
    }
}
