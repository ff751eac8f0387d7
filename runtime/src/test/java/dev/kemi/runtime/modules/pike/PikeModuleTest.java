package dev.kemi.runtime.modules.pike;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class PikeModuleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final PikeModule pike = new PikeModule(now::get);
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.22.1", 5060));

    private int from(String ip) {
        return pike.pike_check_req(ctx(svc, invite(), 0, ip, 5070));
    }

    /** How many checks pass before the first that does not, which must be -2. */
    private static int passesBeforeBlock(IntSupplier check) {
        int n = 0;
        int r;
        while ((r = check.getAsInt()) == 1) n++;
        assertEquals(-2, r);
        return n;
    }

    @Test
    void defaultsCountTheLeafOnlyAfterThePrefixGrew() {
        // 30 per unit: 7 hits warm the first byte, 2 more grow 127.0 and 127.0.22, then 29 leaf hits pass
        assertEquals(38, passesBeforeBlock(() -> from("127.0.22.9")));
        assertEquals(-1, from("127.0.22.9"));
        assertEquals(1, from("127.0.22.10"));
    }

    @Test
    void staysRedUntilAUnitEndsCool() {
        pike.reqsDensityPerUnit(3);
        assertEquals(6, passesBeforeBlock(() -> from("127.0.22.9")));
        assertEquals(-1, from("127.0.22.9"));
        pike.swap(); // previous unit 4 leaf hits: still hot
        assertEquals(-1, from("127.0.22.9"));
        pike.swap(); // previous 1, current 0: released
        assertEquals(1, from("127.0.22.9"));
    }

    @Test
    void ipv6AndExplicitAddresses() {
        pike.reqsDensityPerUnit(2);
        // 16 bytes: the root, 15 splits, then one leaf hit below the limit
        assertEquals(17, passesBeforeBlock(() -> pike.pike_check_ip(null, "::1")));
        assertEquals(-1, pike.pike_check_ip(null, "0:0:0:0:0:0:0:1"));
        assertEquals(-1, pike.pike_check_ip(null, "not-an-ip"));
        assertEquals(-1, pike.pike_check_ip(null, ""));
    }

    @Test
    @SuppressWarnings("unchecked")
    void topListsHotAddressesAndCleanForgetsIdleOnes() {
        pike.reqsDensityPerUnit(3);
        passesBeforeBlock(() -> from("127.0.22.9"));
        from("127.0.22.10");
        from("127.0.22.10");
        RpcRegistry r = new RpcRegistry();
        pike.registerRpc(r);
        Map<String, Object> hot = (Map<String, Object>) r.call("pike.top", List.of());
        assertEquals(3, hot.get("max_hits"));
        assertEquals(1, hot.get("number_of_rows"));
        Map<String, Object> row = ((List<Map<String, Object>>) hot.get("list")).get(0);
        assertEquals("127.0.22.9", row.get("ip_addr"));
        assertEquals("HOT", row.get("status"));
        assertEquals(2, ((Map<String, Object>) r.call("pike.top", List.of("ALL"))).get("number_of_rows"));
        pike.swap();
        pike.swap();
        now.addAndGet(121_000);
        pike.clean();
        assertEquals(0, ((Map<String, Object>) r.call("pike.top", List.of("ALL"))).get("number_of_rows"));
    }
}
