package dev.kemi.runtime.modules.textops;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextopsMultipartTest {
    private final TextopsModule t = new TextopsModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.67.1", 5080));
    private static final String SDP = "v=0\r\nc=IN IP4 127.0.67.2\r\nm=audio 4000 RTP/AVP 0\r\n";
    private static final String MIXED = "--b1\r\nContent-Type: application/sdp\r\n\r\n" + SDP
            + "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n";

    private MessageContext with(String contentType, String body) {
        return ctx(svc, invite("Content-Type: " + contentType).replace("Content-Length: 0", "Content-Length: " + body.length()) + body);
    }

    private static String body(MessageContext c) {
        return new String(c.msg().currentBody(), StandardCharsets.ISO_8859_1);
    }

    private Object var(MessageContext c, String name) {
        return t.pvProvider().resolve(PvSpec.parse(name)).get(c);
    }

    /** Seen from Kamailio 5.6.3: set_body_multipart(); append_body_part("hello", "text/plain", "render"). */
    @Test
    void setBodyMultipartWrapsTheCurrentBody() {
        MessageContext c = with("application/sdp", SDP);
        assertEquals(1, t.set_body_multipart_mode(c));
        String wrapped = "--unique-boundary-1\r\nContent-Type: application/sdp\r\n\r\n" + SDP + "\r\n--unique-boundary-1\r\n";
        assertEquals(wrapped, body(c));
        // the received Content-Type names no boundary: nothing appended, as Kamailio
        assertEquals(-1, t.append_body_part_cd(c, "hello", "text/plain", "render"));
        String out = c.msg().toString();
        assertTrue(out.endsWith("CSeq: 1 INVITE\r\nContact: <sip:alice@127.0.0.2:5070>\r\nContent-Length: 127\r\n"
                + "Content-Type: multipart/mixed;boundary=\"unique-boundary-1\"\r\nMime-Version: 1.0\r\n\r\n" + wrapped), out);
        // already multipart, no new body: unchanged
        MessageContext d = with("multipart/mixed;boundary=b1", MIXED);
        assertEquals(1, t.set_body_multipart_boundary(d, "other"));
        assertEquals(MIXED, body(d));
    }

    /** Seen from Kamailio 5.6.3: the part goes at the end, and the boundaries are normalised on sending. */
    @Test
    void appendBodyPartToAMultipartBody() {
        MessageContext c = with("multipart/mixed;boundary=b1", MIXED);
        assertEquals(1, t.append_body_part(c, "hello", "text/plain"));
        assertEquals("--b1\r\nContent-Type: application/sdp\r\n\r\n" + SDP + "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n", body(c));
        assertTrue(c.msg().toString().contains("\r\nContent-Length: 181\r\n"));
        MessageContext d = with("multipart/mixed;boundary=b1", MIXED);
        assertEquals(1, t.append_body_part_hex_cd(d, "41 42\t43", "text/x", "render;handling=optional"));
        assertTrue(body(d).endsWith("\r\n--b1\r\nContent-Type: text/x\r\nContent-Disposition: render;handling=optional\r\n\r\nABC\r\n--b1--\r\n"), body(d));
        assertEquals(-1, t.append_body_part_hex(d, "414", "text/x"));
        assertEquals(-1, t.append_body_part_hex(d, "zz", "text/x"));
        assertEquals(-1, t.append_body_part(d, "", "text/x"));
    }

    @Test
    void setBodyMultipartWithNewContentAndBoundary() {
        MessageContext c = ctx(svc, invite());
        assertEquals(-1, t.set_body_multipart_mode(c));
        assertEquals(1, t.set_body_multipart(c, "hi", null, "xyz"));
        assertEquals("--xyz\r\nContent-Type: text/plain\r\n\r\nhi\r\n--xyz\r\n", body(c));
        assertTrue(c.msg().toString().contains("\r\nContent-Type: multipart/mixed;boundary=\"xyz\"\r\nMime-Version: 1.0\r\n"));
        assertEquals(-1, t.set_body_multipart(ctx(svc, invite()), "hi", null, "-bad"));
    }

    @Test
    void filterBodyKeepsTheFirstPartOfThatType() {
        MessageContext c = with("multipart/mixed;boundary=\"b1\"", MIXED);
        assertEquals(1, t.filter_body(c, "text/plain"));
        assertEquals("hello", body(c));
        MessageContext d = with("multipart/mixed;boundary=b1", MIXED);
        assertEquals(1, t.filter_body(d, "application/sdp"));
        assertEquals(SDP, body(d));
        assertEquals(-1, t.filter_body(with("multipart/mixed;boundary=b1", MIXED), "image/png"));
        assertEquals(-1, t.filter_body(with("application/sdp", SDP), "application/sdp"));
    }

    @Test
    void removeBodyPartCutsThroughTheNextBoundaryLine() {
        MessageContext c = with("multipart/mixed;boundary=b1", MIXED);
        assertEquals(1, t.remove_body_part(c, "application/sdp"));
        assertEquals("--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n", body(c));
        assertEquals(-1, t.remove_body_part(with("application/sdp", SDP), "application/sdp"));
    }

    @Test
    void getBodyPartSetsTheVariable() {
        MessageContext c = with("multipart/mixed;boundary=b1", MIXED);
        assertEquals(1, t.get_body_part(c, "application/sdp", "$var(sdp)"));
        assertEquals("\r\n" + SDP + "\r\n", var(c, "$var(sdp)"));
        assertEquals(1, t.get_body_part_raw(c, "text/plain", "$var(raw)"));
        assertEquals("Content-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n", var(c, "$var(raw)"));
        assertEquals(-1, t.get_body_part(c, "image/png", "$var(x)"));
        assertEquals(-1, t.get_body_part(c, "text/plain", "$ru(x"));
        MessageContext d = with("application/sdp", SDP);
        assertEquals(1, t.get_body_part(d, "text/plain", "$var(all)"));
        assertEquals(SDP, var(d, "$var(all)"));
    }

    @Test
    void regexSubstringReturnCodes() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, t.regex_substring(c, "sip:alice@127.0.67.2:5060", "sip:([a-z]+)@([0-9.]+)", 2, 3, "$var(host)"));
        assertEquals("127.0.67.2", var(c, "$var(host)"));
        assertEquals(1, t.regex_substring(c, "abc123", "[0-9]+", 0, 1, "$var(n)"));
        assertEquals("123", var(c, "$var(n)"));
        assertEquals(-2, t.regex_substring(c, "abc", "[0-9]+", 0, 1, "$var(n)"));
        // Kamailio 5.6.3 runs regexec with REG_NOTBOL: '^' never matches (seen: -2)
        assertEquals(-2, t.regex_substring(c, "sip:alice@127.0.67.2:5060", "^sip:([a-z]+)@([0-9.]+)", 2, 3, "$var(h)"));
        assertEquals(-1, t.regex_substring(c, "abc", "(x)?abc", 1, 2, "$var(n)"));
        assertEquals(-1, t.regex_substring(c, "abc", "abc", 1, 1, "$var(n)"));
        assertEquals(-1, t.regex_substring(c, "abc", "abc", 0, 1, ""));
    }
}
