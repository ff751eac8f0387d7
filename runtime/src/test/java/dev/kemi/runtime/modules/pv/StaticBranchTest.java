package dev.kemi.runtime.modules.pv;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

/** $sbranch and sbranch_set_ruri / sbranch_append / sbranch_reset as pv_branch.c. */
class StaticBranchTest {
    private final PvxModule pvx = new PvxModule(new StandardPvs());
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.25.1", 5060), socket(Protocol.TCP, "127.0.25.1", 5060));

    private Pv sb(String key) {
        return pvx.resolvePv(new PvSpec("sbranch", key, null, java.util.List.of()));
    }

    @Test
    void fieldsAreReadOnlyOnceTheUriIsSet() {
        MessageContext c = ctx(svc, invite());
        assertEquals(-1, pvx.sbranch_append(c));
        assertEquals(-1, pvx.sbranch_set_ruri(c));
        sb("dst_uri").set(c, "sip:127.0.25.9:5070");
        assertNull(sb("dst_uri").get(c)); // no uri yet: every field but count reads $null
        assertEquals(0, sb("count").get(c));
        sb("uri").set(c, "sip:carol@127.0.25.9");
        assertEquals("sip:127.0.25.9:5070", sb("dst_uri").get(c));
        assertNull(sb("q").get(c));
        sb("q").set(c, 500);
        sb("flags").set(c, 6);
        sb("send_socket").set(c, "tcp:127.0.25.1:5060");
        assertEquals("tcp:127.0.25.1:5060", sb("send_socket").get(c));
        assertNull(sb("ruid").get(c));
        assertThrows(IllegalArgumentException.class, () -> sb("q").set(c, "x"));
        assertThrows(IllegalArgumentException.class, () -> sb("nope"));

        assertEquals(1, pvx.sbranch_append(c));
        assertEquals(1, sb("count").get(c));
        assertEquals("sip:carol@127.0.25.9", c.branches().get(0));
        assertEquals(new BranchAttrs("sip:127.0.25.9:5070", null, 500, 6, "tcp:127.0.25.1:5060"), c.branchAttrs(0));

        c.setPathVector("<sip:p@127.0.25.7;lr>");
        c.setBranchFlags(1);
        assertEquals(1, pvx.sbranch_set_ruri(c));
        assertEquals("sip:carol@127.0.25.9", c.msg().requestUri());
        assertEquals("sip:127.0.25.9:5070", c.dstUri());
        assertNull(c.pathVector());
        assertEquals(7, c.branchFlags());
        assertEquals("tcp:127.0.25.1:5060", SendSocket.get(c).toString());

        // it outlives the message, as Kamailio's per-process static branch
        MessageContext next = ctx(svc, invite());
        assertEquals("sip:carol@127.0.25.9", sb("uri").get(next));
        assertEquals(1, pvx.sbranch_reset(next));
        assertNull(sb("uri").get(next));
        sb("uri").set(next, "sip:d@127.0.25.9");
        sb("uri").set(next, null);
        assertNull(sb("uri").get(next));
    }

    @Test
    void unknownSocketIsDroppedWithAWarning() {
        MessageContext c = ctx(svc, invite());
        sb("uri").set(c, "sip:x@127.0.25.9");
        sb("send_socket").set(c, "udp:127.0.25.200:5060");
        assertNull(sb("send_socket").get(c));
        assertThrows(IllegalArgumentException.class, () -> sb("send_socket").set(c, "bogus:[x"));
        pvx.sbranch_reset(c);
    }
}
