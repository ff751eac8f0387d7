package dev.kemi.runtime.modules.hdr;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class HdrModuleTest {
    private final HdrModule h = new HdrModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080));

    @Test
    void gettersByIndex() {
        MessageContext c = ctx(svc, invite("X-A: one", "X-A: two", "X-A: three"));
        assertEquals("one", h.get(c, "X-A"));
        assertEquals("three", h.get_idx(c, "x-a", -1));
        assertEquals("two", h.get_idx(c, "X-A", 1));
        assertNull(h.get_idx(c, "X-A", 3));
        assertEquals("", h.gete(c, "X-B"));
        assertEquals("<null>", h.getw(c, "X-B"));
        assertEquals("call-1@127.0.0.2", h.get(c, "i"));
    }

    @Test
    void editsAreNotVisibleToReads() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, h.append(c, "X-New: 1\r\n"));
        assertEquals(-1, h.is_present(c, "X-New"));
        assertNull(h.get(c, "X-New"));
        assertTrue(c.msg().toString().contains("X-New: 1\r\n"));
    }

    @Test
    void removeReturnsOneAlways() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, h.remove(c, "X-None"));
        assertEquals(1, h.remove(c, "m"));
        assertFalse(c.msg().toString().contains("Contact:"));
        MessageContext d = ctx(svc, invite("Subject: a"));
        assertEquals(1, h.rmappend(d, "Subject", "Subject: b\r\n"));
        assertTrue(d.msg().toString().contains("Subject: b\r\n") && !d.msg().toString().contains("Subject: a"));
    }

    @Test
    void insertAndAppendRelativeToHeaders() {
        MessageContext c = ctx(svc, invite());
        h.insert_before(c, "X-B: 1\r\n", "To");
        h.append_after(c, "X-C: 2\r\n", "To");
        String out = c.msg().toString();
        assertTrue(out.contains("X-B: 1\r\nTo: <sip:bob@127.0.0.1>\r\nX-C: 2\r\n"), out);
    }

    @Test
    void matchContent() {
        MessageContext c = ctx(svc, invite("X-A: Foo", "X-A: bar"));
        assertTrue(h.match_content(c, "X-A", "eq", "foo", "f"));
        assertFalse(h.match_content(c, "X-A", "eq", "foo", "l"));
        assertTrue(h.match_content(c, "X-A", "eq", "bar", "o"));
        assertFalse(h.match_content(c, "X-A", "eq", "bar", "a"));
        assertTrue(h.match_content(c, "X-A", "sw", "fo", "f"));
        assertTrue(h.match_content(c, "X-A", "in", "baz,foo", "f"));
        assertTrue(h.match_content(c, "X-A", "ne", "baz", "a"));
        assertFalse(h.match_content(c, "X-Z", "ne", "baz", "a"));
    }
}
