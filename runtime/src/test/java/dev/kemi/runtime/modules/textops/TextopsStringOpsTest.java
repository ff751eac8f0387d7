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

/** replace_str family, remove_hf_match, is_privacy: return codes and edits as textops.c. */
class TextopsStringOpsTest {
    private final TextopsModule t = new TextopsModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.12.1", 5060));

    @Test
    void replaceStrIsLiteralAndReturnsOneEvenWithoutAMatch() {
        MessageContext c = ctx(svc, invite("X-A: a.b a.b"));
        assertEquals(1, t.replace_str(c, "a.b", "c", "f"));
        assertTrue(c.msg().toString().contains("X-A: c a.b"), c.msg().toString());
        MessageContext all = ctx(svc, invite("X-A: a.b a.b"));
        assertEquals(1, t.replace_str(all, "a.b", "c", "a"));
        assertTrue(all.msg().toString().contains("X-A: c c"), all.msg().toString());
        assertEquals(1, t.replace_str(ctx(svc, invite()), "nothere", "x", "a"));
        // no body: the body variant fails
        assertEquals(-1, t.replace_body_str(ctx(svc, invite()), "a", "b", "f"));
        MessageContext h = ctx(svc, invite("X-B: one"));
        assertEquals(1, t.replace_hdrs_str(h, "one", "two", "f"));
        assertTrue(h.msg().toString().contains("X-B: two"));
    }

    @Test
    void removeHfMatch() {
        MessageContext c = ctx(svc, invite("X-T: keep", "X-T: drop-me", "X-T: other"));
        assertEquals(1, t.remove_hf_match(c, "X-T", "eq", "drop-me"));
        String out = c.msg().toString();
        assertFalse(out.contains("drop-me"));
        assertTrue(out.contains("X-T: keep") && out.contains("X-T: other"));
        assertEquals(-2, t.remove_hf_match(ctx(svc, invite("X-T: a")), "X-T", "eq", "b"));
        assertEquals(-1, t.remove_hf_match(ctx(svc, invite("X-T: a")), "X-T", "zz", "a"));
        MessageContext re = ctx(svc, invite("X-T: aqq", "X-T: xyz"));
        assertEquals(1, t.remove_hf_match(re, "x-t", "re", "^a"));
        assertFalse(re.msg().toString().contains("aqq"));
        MessageContext ne = ctx(svc, invite("X-T: a", "X-T: b"));
        assertEquals(1, t.remove_hf_match(ne, "X-T", "ne", "a"));
        assertFalse(ne.msg().toString().contains("X-T: b"));
        assertEquals(1, t.remove_hf_match(ctx(svc, invite("X-T: hello")), "X-T", "in", "ell"));
    }

    @Test
    void isPrivacy() {
        MessageContext c = ctx(svc, invite("Privacy: id;header"));
        assertEquals(1, t.is_privacy(c, "id"));
        assertEquals(1, t.is_privacy(c, "header"));
        assertEquals(-1, t.is_privacy(c, "user"));
        assertEquals(-1, t.is_privacy(ctx(svc, invite()), "id"));
        assertEquals(-1, t.is_privacy(c, "bogus"));
    }
}
