package dev.kemi.runtime.modules.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of the dialog module that need no running proxy: ids, matching, profiles, route sets, RPC shape. */
class DialogPartsTest {
    private static Dialog dialog(String callId, String ftag, String ttag) {
        Dialog d = new Dialog(0, callId, "sip:a@x", "sip:b@y", "sip:b@y", 100);
        d.tag[Dialog.CALLER] = ftag;
        d.tag[Dialog.CALLEE] = ttag;
        return d;
    }

    @Test
    void didCookieIsKamailiosReverseHex() {
        assertEquals("0", DlgTracker.reverseHex(0));
        assertEquals("a", DlgTracker.reverseHex(10));
        assertEquals("3a1", DlgTracker.reverseHex(0x1a3));
        assertEquals(0x1a3, DlgTracker.parseReverseHex("3a1"));
        assertEquals(-1, DlgTracker.parseReverseHex("xz"));
        assertEquals(0xffffffffL, DlgTracker.parseReverseHex(DlgTracker.reverseHex(-1)));
    }

    @Test
    void routeParamIsFoundAmongOthers() {
        assertEquals("3a1.b", DlgTracker.param(";lr;did=3a1.b;ftag=x", "did"));
        assertNull(DlgTracker.param(";lr;ftag=x", "did"));
    }

    @Test
    void requestsMatchByCallIdAndTagsInBothDirections() {
        Dialog d = dialog("c1", "ft", "tt");
        assertEquals(Dialog.DIR_DOWNSTREAM, d.match("c1", "ft", "tt"));
        assertEquals(Dialog.DIR_UPSTREAM, d.match("c1", "tt", "ft"));
        assertEquals(-1, d.match("c2", "ft", "tt"));
        assertEquals(-1, d.match("c1", "ft", "other"));
        Dialog early = dialog("c1", "ft", null);
        assertEquals(Dialog.DIR_DOWNSTREAM, early.match("c1", "ft", "whatever"));
    }

    @Test
    void tableLinksFindsAndUnlinks() {
        DlgTable t = new DlgTable(16, 0, 1);
        Dialog d = new Dialog(t.entryOf("c1"), "c1", "sip:a@x", "sip:b@y", "sip:b@y", 100);
        d.tag[Dialog.CALLER] = "ft";
        t.link(d);
        assertSame(d, t.lookup(d.hEntry, d.hId));
        int[] dir = {0};
        assertSame(d, t.find("c1", "ft", "", dir));
        assertEquals(Dialog.DIR_DOWNSTREAM, dir[0]);
        assertEquals(1, t.count());
        t.unlink(d);
        assertNull(t.lookup(d.hEntry, d.hId));
        assertEquals(0, t.count());
    }

    @Test
    void profileSizesCountByValueOrAll() {
        DlgProfiles ps = new DlgProfiles();
        ps.define("caller;trunk", true);
        ps.define("inbound", false);
        assertThrows(IllegalArgumentException.class, () -> ps.define("inbound", false));
        DlgProfiles.Profile caller = ps.get("caller"), inbound = ps.get("inbound");
        Dialog a = dialog("a", "1", null), b = dialog("b", "2", null), c = dialog("c", "3", null);
        ps.link(a, caller, "alice");
        ps.link(b, caller, "alice");
        ps.link(c, caller, "bob");
        ps.link(a, inbound, "ignored");
        assertEquals(2, caller.size("alice"));
        assertEquals(1, caller.size("bob"));
        assertEquals(0, caller.size("carol"));
        assertEquals(3, caller.size(null));
        assertEquals(1, inbound.size("anything"));
        DlgProfiles.unlinkAll(a);
        assertEquals(1, caller.size("alice"));
        assertEquals(0, inbound.size(null));
        assertNull(ps.get("nope"));
    }

    @Test
    void routeSetsSplitOnCommasOutsideAngles() {
        assertEquals(List.of("<sip:p1;lr>", "\"a,b\" <sip:p2;lr>"), DlgRequests.routes("<sip:p1;lr>, \"a,b\" <sip:p2;lr>"));
        assertEquals(List.of(), DlgRequests.routes(""));
        assertEquals(List.of(), DlgRequests.routes(null));
    }

    @Test
    void rpcStructHasKamailiosMembersInOrder() {
        Dialog d = dialog("c1", "ft", "tt");
        d.state = Dialog.CONFIRMED;
        d.vars.put("a", "1");
        d.vars.put("b", "2");
        var m = DlgRpc.print(d);
        assertEquals(List.of("h_entry", "h_id", "ref", "call-id", "from_uri", "to_uri", "state", "start_ts", "init_ts", "end_ts",
                "duration", "timeout", "lifetime", "dflags", "sflags", "iflags", "caller", "callee", "profiles", "variables"),
                List.copyOf(m.keySet()));
        // newest variable first, as Kamailio's prepended list
        assertEquals(List.of(java.util.Map.of("b", "2"), java.util.Map.of("a", "1")), m.get("variables"));
    }
}
