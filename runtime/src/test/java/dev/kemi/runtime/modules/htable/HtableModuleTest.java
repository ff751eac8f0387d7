package dev.kemi.runtime.modules.htable;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HtableModuleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HtableModule ht = new HtableModule(now::get);
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.22.1", 5060));
    private final MessageContext c = ctx(svc, invite(), 0, "127.0.22.9", 5070);

    private Pv pv(String text) {
        return ht.resolvePv(PvSpec.parse(text));
    }

    @Test
    void shtKeyedBySourceAddressWithNullDeleting() {
        ht.htable("ipban=>size=8;autoexpire=300");
        Pv ban = pv("$sht(ipban=>$si)");
        assertNull(ban.get(c));
        ban.set(c, 1);
        assertEquals(1, ban.get(c));
        assertEquals(1, ht.sht_get(c, "ipban", "127.0.22.9"));
        assertEquals(300, pv("$shtex(ipban=>$si)").get(c));
        ban.set(c, null);
        assertNull(ban.get(c));
        assertEquals(1, ht.sht_is_null(c, "ipban", "127.0.22.9"));
    }

    @Test
    void autoexpireHidesThenTimerRemoves() {
        ht.htable("t=>autoexpire=2");
        ht.sht_sets(c, "t", "k", "v");
        now.addAndGet(1500);
        assertEquals("v", ht.sht_get(c, "t", "k"));
        now.addAndGet(1000);
        assertNull(ht.sht_get(c, "t", "k"));
        assertEquals("", ht.sht_gete(c, "t", "k"));
        ht.expireAll();
        assertTrue(ht.table("t").snapshot().isEmpty());
    }

    @Test
    void incrementsFromInitval() {
        ht.htable("cnt=>initval=10");
        assertEquals(10, ht.sht_get(c, "cnt", "x"));
        assertEquals(11, pv("$shtinc(cnt=>x)").get(c));
        assertEquals(10, ht.sht_dec(c, "cnt", "x"));
        ht.sht_sets(c, "cnt", "s", "text");
        assertEquals(Integer.MIN_VALUE, ht.sht_inc(c, "cnt", "s"));
    }

    @Test
    void removesByRegexp() {
        ht.htable("t");
        ht.sht_seti(c, "t", "a1", 1);
        ht.sht_seti(c, "t", "a2", 2);
        ht.sht_sets(c, "t", "b1", "keep");
        ht.sht_sets(c, "t", "b2", "drop");
        assertEquals(1, ht.sht_rm_name_re(c, "t=>^a"));
        assertEquals(1, ht.sht_rm_value_re(c, "t", "dr.p"));
        assertEquals(List.of("b1"), List.copyOf(ht.table("t").snapshot().keySet()));
        assertEquals(-1, ht.sht_rm(c, "nosuch", "x"));
        assertEquals(-1, ht.sht_rm_name_re(c, "t", "("));
    }

    @Test
    void matchesNamesAndStringValues() {
        ht.htable("ipban=>autoexpire=300");
        ht.sht_seti(c, "ipban", "127.0.22.9", 1);
        ht.sht_sets(c, "ipban", "note", "Banned By Pike");
        assertEquals(1, ht.sht_match_name(c, "ipban", "eq", "127.0.22.9"));
        assertEquals(-1, ht.sht_match_name(c, "ipban", "eq", "127.0.22.8"));
        assertEquals(1, ht.sht_match_name(c, "ipban", "sw", "127.0."));
        assertEquals(1, ht.sht_match_name(c, "ipban", "re", "^NOTE$"));
        assertEquals(1, ht.sht_match_name(c, "ipban", "ne", "note"));
        assertEquals(1, ht.sht_match_str_value(c, "ipban", "re", "pike"));
        assertEquals(-1, ht.sht_match_str_value(c, "ipban", "eq", "1"));
        assertEquals(-1, ht.sht_match_name(c, "ipban", "gt", "x"));
        assertEquals(-1, ht.sht_match_name(c, "nosuch", "eq", "x"));
    }

    @Test
    void countsNamesAndValues() {
        ht.htable("t");
        ht.sht_sets(c, "t", "user:alice", "online");
        ht.sht_sets(c, "t", "user:bob", "away");
        ht.sht_seti(c, "t", "n", 7);
        ht.sht_setxi(c, "t", "gone", 1, 1);
        now.addAndGet(2000);
        assertEquals(2, pv("$shtcn(t=>%~user:)").get(c));
        assertEquals(2, pv("$shtcn(t=>^USER)").get(c));
        assertEquals(1, pv("$shtcn(t=>~%bob)").get(c));
        assertEquals(1, pv("$shtcv(t=>==away)").get(c));
        assertEquals(1, pv("$shtcv(t=>eq7)").get(c));
        assertEquals(0, pv("$shtcn(t=>eq7)").get(c));
        assertEquals(3, pv("$shtcn(t=>**)").get(c));
        assertEquals(0, pv("$shtcn(t=>~~[a)").get(c));
    }

    @Test
    void refusesWhatItDoesNotImplement() {
        assertThrows(IllegalArgumentException.class, () -> ht.htable("t=>dbtable=htable"));
        assertThrows(IllegalArgumentException.class, () -> ht.htable("t=>bogus=1"));
        ht.htable("t");
        assertThrows(IllegalArgumentException.class, () -> ht.htable("t"));
        assertThrows(IllegalArgumentException.class, () -> pv("$sht(other=>x)"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void rpcShapes() {
        ht.htable("t");
        RpcRegistry r = new RpcRegistry();
        ht.registerRpc(r);
        assertEquals("Ok. Key set to new value.", r.call("htable.sets", List.of("t", "k", "v")));
        r.call("htable.seti", List.of("t", "n", "5"));
        Map<String, Object> item = (Map<String, Object>) ((Map<String, Object>) r.call("htable.get", List.of("t", "n"))).get("item");
        assertEquals(Map.of("name", "n", "value", 5, "flags", 0, "expire", "NEVER"), item);
        List<Map<String, Object>> dump = (List<Map<String, Object>>) r.call("htable.dump", List.of("t"));
        assertEquals(2, dump.stream().mapToInt(e -> (Integer) e.get("size")).sum());
        assertEquals("Ok. Key deleted.", r.call("htable.delete", List.of("t", "k")));
        RpcException e = assertThrows(RpcException.class, () -> r.call("htable.delete", List.of("t", "k")));
        assertEquals(404, e.code());
        assertThrows(RpcException.class, () -> r.call("htable.get", List.of("nosuch", "k")));
    }

    /** htable.setex as an operator shortens a ban; strings and tables without autoexpire are left as they are. */
    @Test
    void rpcSetexAsKamailio() {
        ht.htable("ipban=>autoexpire=300");
        ht.htable("plain");
        RpcRegistry r = new RpcRegistry();
        ht.registerRpc(r);
        ht.sht_seti(c, "ipban", "127.0.22.9", 1);
        ht.sht_sets(c, "ipban", "s", "v");
        ht.sht_seti(c, "plain", "n", 1);
        assertEquals("Ok", r.call("htable.setex", List.of("ipban", "127.0.22.9", "2")));
        assertEquals("Ok", r.call("htable.setex", List.of("ipban", "s", "2")));
        assertEquals("Ok", r.call("htable.setex", List.of("plain", "n", "2")));
        now.addAndGet(2500);
        assertNull(ht.sht_get(c, "ipban", "127.0.22.9"));
        assertEquals("v", ht.sht_get(c, "ipban", "s"));
        assertEquals(1, ht.sht_get(c, "plain", "n"));
        RpcException e = assertThrows(RpcException.class, () -> r.call("htable.setex", List.of("ipban", "k")));
        assertEquals("Not enough parameters (htable name, item name and expire)", e.getMessage());
    }

    /** As Kamailio: sht_match_name sees an expired ban until the timer removes it ($sht no longer does). */
    @Test
    void matchNameSeesExpiredItemsUntilTheTimer() {
        ht.htable("ipban=>autoexpire=2");
        ht.sht_seti(c, "ipban", "127.0.22.9", 1);
        now.addAndGet(2500);
        assertNull(ht.sht_get(c, "ipban", "127.0.22.9"));
        assertEquals(1, ht.sht_match_name(c, "ipban", "eq", "127.0.22.9"));
        ht.expireAll();
        assertEquals(-1, ht.sht_match_name(c, "ipban", "eq", "127.0.22.9"));
    }
}
