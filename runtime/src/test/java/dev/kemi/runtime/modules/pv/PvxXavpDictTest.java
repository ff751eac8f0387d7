package dev.kemi.runtime.modules.pv;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KSR.pvx getd / get_keys / implode / slist_explode / copy / var<->xavp / evalx as pv.c and pv_xavp.c. */
class PvxXavpDictTest {
    private final StandardPvs pvs = new StandardPvs();
    private final PvxModule pvx = new PvxModule(pvs);
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.68.1", 5060));

    {
        pvs.add(pvx);
    }

    private MessageContext withTwoItems() {
        MessageContext c = ctx(svc, invite());
        pvx.xavp_params_explode(c, "a=1;b=2", "r");
        pvx.xavp_params_explode(c, "a=x;a=y;c", "r");
        pvx.xavp_sets(c, "r", "plain");
        return c;
    }

    @Test
    void getdListsTheDictsOfEveryItemSkippingValues() {
        MessageContext c = withTwoItems();
        // explode adds the last parameter first: fields newest first, values of a name in list order
        assertEquals(List.of(Map.of("c", List.of(""), "a", List.of("y", "x")), Map.of("b", List.of("2"), "a", List.of("1"))),
                pvx.xavp_getd(c, "r"));
        assertEquals(List.of("c", "a"), List.copyOf(((Map<?, ?>) pvx.xavp_getd_p1(c, "r", 1)).keySet()));
        assertEquals(Map.of("b", List.of("2"), "a", List.of("1")), pvx.xavp_getd_p1(c, "r", -1));
        // an item holding a value is an empty dict by index
        assertEquals(Map.of(), pvx.xavp_getd_p1(c, "r", 0));
        assertNull(pvx.xavp_getd_p1(c, "r", 3));
        assertNull(pvx.xavp_getd_p1(c, "r", -4));
        assertNull(pvx.xavp_getd(c, "none"));
        assertEquals(List.of("c", "a"), pvx.xavp_get_keys(c, "r", 1));
        assertEquals(List.of(), pvx.xavp_get_keys(c, "r", 0));
        assertNull(pvx.xavp_get_keys(c, "r", 5));
        assertNull(pvx.xavp_get_keys(c, "r", -1));
    }

    @Test
    void xaviDictsIgnoreCase() {
        MessageContext c = ctx(svc, invite());
        pvx.xavi_child_sets(c, "Root", "Key", "v1");
        pvx.xavi_child_seti(c, "ROOT", "other", 2);
        assertEquals(List.of(Map.of("other", List.of(2), "Key", List.of("v1"))), pvx.xavi_getd(c, "root"));
        assertEquals(List.of("other", "Key"), pvx.xavi_get_keys(c, "rOOt", 0));
        assertEquals(Map.of("other", List.of(2), "Key", List.of("v1")), pvx.xavi_getd_p1(c, "root", 0));
    }

    @Test
    void implodeWritesNameValuePairsOfTheFirstItem() {
        MessageContext c = ctx(svc, invite());
        pvx.xavp_params_explode(c, "a=1;b;c=x", "p");
        pvx.xavp_child_seti(c, "p", "n", -1);
        assertEquals(1, pvx.xavp_params_implode(c, "p", "$var(out)"));
        // ints print unsigned, as xavp_serialize_fields
        assertEquals("n=4294967295;c=x;b;a=1;", pvx.var_get(c, "out"));
        assertEquals(-1, pvx.xavp_params_implode(c, "missing", "$var(out)"));
        assertEquals(-1, pvx.xavp_params_implode(c, "p", "$ci"));
        pvx.xavu_child_sets(c, "u", "k", "v");
        assertEquals(1, pvx.xavu_params_implode(c, "u", "$var(u)"));
        assertEquals("k=v;", pvx.var_get(c, "u"));
    }

    @Test
    void slistExplodeSplitsOnAnySeparatorCharacter() {
        MessageContext c = ctx(svc, invite());
        assertEquals(1, pvx.xavp_slist_explode(c, " a, b;;c ", ",;", "t", "l"));
        assertEquals(List.of(Map.of("v", List.of("a", "b", "c"))), pvx.xavp_getd(c, "l"));
        assertEquals(1, pvx.xavp_slist_explode(c, "a ,b", ",", "", "l"));
        assertEquals(Map.of("v", List.of("a ", "b")), pvx.xavp_getd_p1(c, "l", 0));
        assertEquals(-1, pvx.xavp_slist_explode(c, "", ",", "t", "l"));
        assertEquals(-1, pvx.xavp_slist_explode(c, "a", "", "t", "l"));
    }

    @Test
    void copyAddsAfterTheDestinationItems() {
        MessageContext c = withTwoItems();
        assertEquals(1, pvx.xavp_copy(c, "r", 2, "d"));
        assertEquals(1, pvx.xavp_copy(c, "r", 1, "d"));
        // the second copy goes after the first: d[0] is the first copy
        assertEquals(List.of(Map.of("b", List.of("2"), "a", List.of("1")), Map.of("c", List.of(""), "a", List.of("y", "x"))),
                pvx.xavp_getd(c, "d"));
        // a copy is independent of its source
        pvx.xavp_child_sets(c, "d", "b", "changed");
        assertEquals("2", pvx.xavp_getd_p1(c, "r", 2) instanceof Map<?, ?> m ? ((List<?>) m.get("b")).get(0) : null);
        assertEquals(-1, pvx.xavp_copy(c, "r", 3, "d"));
        assertEquals(-1, pvx.xavp_copy(c, "none", 0, "d"));
        // 5.6.3's KEMI xavp_copy_dst ignores dst_idx (dimode 0): it appends like xavp_copy
        assertEquals(1, pvx.xavp_copy_dst(c, "r", 0, "d", 0));
        assertEquals("plain", pvx.resolvePv(dev.kemi.api.PvSpec.parse("$xavp(d[2])")).get(c));
    }

    @Test
    void varsToXavpAndBack() {
        MessageContext c = ctx(svc, invite());
        assertEquals(-1, pvx.pv_var_to_xavp(c, "never_set_here", "x"));
        pvx.var_seti(c, "vi", 5);
        pvx.var_sets(c, "vs", "str");
        pvx.var_sets(c, "ve", "");
        pvx.xavp_sets(c, "x", "old");
        assertEquals(1, pvx.pv_var_to_xavp(c, "vi", "x"));
        assertEquals(List.of(Map.of("vi", List.of(5))), pvx.xavp_getd(c, "x"));
        assertEquals(1, pvx.pv_var_to_xavp(c, "*", "all"));
        Map<?, ?> all = (Map<?, ?>) pvx.xavp_getd_p1(c, "all", 0);
        assertEquals(List.of(5), all.get("vi"));
        assertEquals(List.of("str"), all.get("vs"));
        // empty strings are left out, as get_var_all's loop does
        assertNull(all.get("ve"));

        pvx.xavp_params_explode(c, "fa=one;fb=two", "back");
        pvx.xavp_child_seti(c, "back", "fi", 9);
        assertEquals(1, pvx.pv_xavp_to_var(c, "back"));
        assertEquals("one", pvx.var_get(c, "fa"));
        assertEquals("two", pvx.var_get(c, "fb"));
        assertEquals(9, pvx.var_get(c, "fi"));
        assertEquals(-1, pvx.pv_xavp_to_var(c, "missing"));
        pvx.xavp_sets(c, "val", "v");
        assertEquals(-1, pvx.pv_xavp_to_var(c, "val"));
    }

    @Test
    void evalxAssignsThePrintedFormat() {
        MessageContext c = ctx(svc, invite());
        pvx.var_seti(c, "n", 4);
        pvx.xavp_child_sets(c, "r", "k", "kv");
        assertEquals(1, pvx.evalx(c, "$var(dst)", "n=$var(n) k=$xavp(r=>k)"));
        assertEquals("n=4 k=kv", pvx.var_get(c, "dst"));
        assertEquals(-1, pvx.evalx(c, "$ci", "x"));
        assertEquals(-1, pvx.evalx(c, "$var(dst)", "$nosuchpv(x)"));
        assertEquals("n=4 k=kv", pvx.var_get(c, "dst"));
    }
}
