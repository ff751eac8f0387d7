package dev.kemi.runtime.modules.pv;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

/** KSR.pvx xavp/xavu/xavi functions behave as pv.c and core/xavp.c. */
class PvxXavpTest {
    private final PvxModule pvx = new PvxModule(new StandardPvs());
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.12.1", 5060));

    @Test
    void rootValuesAreAStackNewestFirst() {
        MessageContext c = ctx(svc, invite());
        assertNull(pvx.xavp_get(c, "a"));
        assertEquals("", pvx.xavp_gete(c, "a"));
        assertEquals("<null>", pvx.xavp_getw(c, "a"));
        assertEquals(1, pvx.xavp_is_null(c, "a"));
        assertEquals(1, pvx.xavp_seti(c, "a", 1));
        assertEquals(1, pvx.xavp_sets(c, "a", "two"));
        assertEquals("two", pvx.xavp_get(c, "a"));
        assertEquals(-1, pvx.xavp_is_null(c, "a"));
        assertEquals(1, pvx.xavp_rm(c, "a"));
        assertEquals(1, pvx.xavp_get(c, "a"));
        assertEquals(1, pvx.xavp_rm(c, "a"));
        // removing what is not there still returns 1
        assertEquals(1, pvx.xavp_rm(c, "a"));
        assertNull(pvx.xavp_get(c, "a"));
        // another message has its own lists
        assertNull(pvx.xavp_get(ctx(svc, invite()), "a"));
    }

    @Test
    void childrenReplaceTheirNameAndTurnAValueIntoAList() {
        MessageContext c = ctx(svc, invite());
        pvx.xavp_sets(c, "r", "plain");
        assertEquals(1, pvx.xavp_child_seti(c, "r", "x", 5));
        assertEquals(5, pvx.xavp_child_get(c, "r", "x"));
        assertTrue(pvx.xavp_get(c, "r").toString().startsWith("<<xavp:"));
        pvx.xavp_child_sets(c, "r", "x", "six");
        pvx.xavp_child_sets(c, "r", "y", "why");
        assertEquals("six", pvx.xavp_child_get(c, "r", "x"));
        assertEquals(-1, pvx.xavp_child_is_null(c, "r", "y"));
        assertEquals(1, pvx.xavp_child_rm(c, "r", "y"));
        assertEquals(1, pvx.xavp_child_is_null(c, "r", "y"));
        assertEquals("", pvx.xavp_child_gete(c, "r", "nope"));
        assertEquals("<null>", pvx.xavp_child_getw(c, "nope", "x"));
    }

    @Test
    void xavuKeepsOneItemPerNameAndXaviIgnoresCase() {
        MessageContext c = ctx(svc, invite());
        pvx.xavu_seti(c, "u", 1);
        pvx.xavu_sets(c, "u", "2");
        assertEquals("2", pvx.xavu_get(c, "u"));
        pvx.xavu_rm(c, "u");
        assertNull(pvx.xavu_get(c, "u"));
        assertEquals(1, pvx.xavu_is_null(c, "u"));
        // separate lists
        pvx.xavp_sets(c, "u", "p");
        assertNull(pvx.xavu_get(c, "u"));
        pvx.xavi_sets(c, "Name", "v");
        assertEquals("v", pvx.xavi_get(c, "NAME"));
        pvx.xavi_child_seti(c, "Name", "Child", 3);
        assertEquals(3, pvx.xavi_child_get(c, "name", "CHILD"));
        assertNull(pvx.xavp_get(c, "Name"));
    }

    @Test
    void paramsExplode() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, pvx.xavp_params_explode(c, "a=1;b=\"two\";c;", "p"));
        assertEquals("1", pvx.xavp_child_get(c, "p", "a"));
        assertEquals("two", pvx.xavp_child_get(c, "p", "b"));
        assertEquals("", pvx.xavp_child_get(c, "p", "c"));
        assertEquals(-1, pvx.xavp_params_explode(c, "", "p"));
        assertEquals(1, pvx.xavu_params_explode(c, "k=v", "q"));
        assertEquals("v", pvx.xavu_child_get(c, "q", "k"));
    }
}
