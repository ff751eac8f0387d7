package dev.kemi.runtime.modules.sanity;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class SanityModuleTest {
    private final SanityModule s = new SanityModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080));

    @Test
    void goodRequestPasses() {
        assertEquals(1, s.sanity_check_defaults(ctx(svc, invite())));
        assertEquals(1, s.nativeCheck(ctx(svc, invite())));
        assertTrue(svc.sent.isEmpty());
    }

    @Test
    void cseqMismatchRepliesAndReturnCodesDifferByLanguage() throws Exception {
        String bad = invite().replace("CSeq: 1 INVITE", "CSeq: 1 BYE");
        assertEquals(-1, s.sanity_check(ctx(svc, bad), 3047, 7));
        assertEquals(400, svc.last().parsed().status());
        assertEquals("CSeq method does not match request method", svc.last().parsed().reason());
        assertEquals(0, s.nativeCheck(ctx(svc, bad), 3047, 7));
        s.autodrop(0);
        assertEquals(-1, s.nativeCheck(ctx(svc, bad), 3047, 7));
    }

    @Test
    void replyTexts() throws Exception {
        s.sanity_check_defaults(ctx(svc, invite().replace("CSeq: 1 INVITE", "CSeq: 1x INVITE")));
        assertEquals("CSeq number is illegal", svc.last().parsed().reason());
        s.sanity_check_defaults(ctx(svc, invite().replace("INVITE sip:bob@127.0.0.1", "INVITE mailto:bob@127.0.0.1")));
        // Kamailio 5.6.3's URI parser rejects the scheme first: 400, not 416 (seen on the wire)
        assertEquals("400 Bad Request URI", svc.last().parsed().status() + " " + svc.last().parsed().reason());
        s.sanity_check_defaults(ctx(svc, invite("Expires: soon")));
        assertEquals("Expires value is illegal", svc.last().parsed().reason());
        s.sanity_check_defaults(ctx(svc, invite("Proxy-Require: foo")));
        assertEquals("420 Bad Proxy Require Extension", svc.last().parsed().status() + " " + svc.last().parsed().reason());
        assertEquals("foo", svc.last().parsed().header("Unsupported"));
        s.sanity_check(ctx(svc, invite().replace("<sip:alice@127.0.0.2:5070>", "<sip:c@exa mple.com>")), 1024, 8);
        // Kamailio's Contact parser takes the <...> as is; the URI inside is what fails
        assertEquals("Bad Contact URI", svc.last().parsed().reason());
    }

    @Test
    void contentLengthIsComparedWithTheWholeDatagram() throws Exception {
        String msg = invite().replace("Content-Length: 0", "Content-Length: 3") + "abc and more";
        assertEquals(-1, s.sanity_check(ctx(svc, msg), 128, 0));
        assertEquals("400 Content-Length mis-match", svc.last().parsed().status() + " " + svc.last().parsed().reason());
        assertEquals(1, s.sanity_check(ctx(svc, invite().replace("Content-Length: 0", "Content-Length: 3") + "abc"), 128, 0));
    }

    @Test
    void noreplyDefersToSanityReply() throws Exception {
        s.noreply(1);
        var c = ctx(svc, invite().replace("CSeq: 1 INVITE", "CSeq: 1 BYE"));
        assertEquals(-1, s.sanity_check_defaults(c));
        assertTrue(svc.sent.isEmpty());
        assertEquals(1, s.sanity_reply(c));
        assertEquals(400, svc.last().parsed().status());
        assertEquals(-1, s.sanity_reply(ctx(svc, invite())));
    }

    @Test
    void digestCredentialsMustBeComplete() {
        assertEquals(-1, s.sanity_check(ctx(svc, invite("Authorization: Digest username=\"a\", realm=\"r\", nonce=\"\", response=\"x\"")), 2048, 0));
        assertEquals(1, s.sanity_check(ctx(svc, invite("Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", response=\"x\"")), 2048, 0));
        assertTrue(svc.sent.isEmpty());
    }
}
