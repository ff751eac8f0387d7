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
import org.junit.jupiter.api.Test;

class PikeModuleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final PikeModule pike = new PikeModule(now::get);
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.22.1", 5060));

    private int from(String ip) {
        return pike.pike_check_req(ctx(svc, invite(), 0, ip, 5070));
    }

    @Test
    void blocksAtDensityThenReleasesWhenUnitsCool() {
        pike.reqsDensityPerUnit(3);
        assertEquals(1, from("127.0.22.9"));
        assertEquals(1, from("127.0.22.9"));
        assertEquals(-2, from("127.0.22.9"));
        assertEquals(-1, from("127.0.22.9"));
        assertEquals(1, from("127.0.22.10"));
        pike.swap(); // previous unit 4 hits: still hot
        assertEquals(-1, from("127.0.22.9"));
        pike.swap(); // previous 1, current 0: released
        assertEquals(1, from("127.0.22.9"));
    }

    @Test
    void ipv6AndExplicitAddresses() {
        pike.reqsDensityPerUnit(2);
        assertEquals(1, pike.pike_check_ip(null, "::1"));
        assertEquals(-2, pike.pike_check_ip(null, "0:0:0:0:0:0:0:1"));
        assertEquals(-1, pike.pike_check_ip(null, "not-an-ip"));
        assertEquals(-1, pike.pike_check_ip(null, ""));
    }

    @Test
    @SuppressWarnings("unchecked")
    void forgetsIdleAddressesAndListsHotOnes() {
        pike.reqsDensityPerUnit(2);
        from("127.0.22.9");
        from("127.0.22.9");
        from("127.0.22.10");
        RpcRegistry r = new RpcRegistry();
        pike.registerRpc(r);
        List<Map<String, Object>> hot = (List<Map<String, Object>>) r.call("pike.top", List.of());
        assertEquals(1, hot.size());
        assertEquals("127.0.22.9", hot.get(0).get("ip_addr"));
        assertEquals(2, ((List<?>) r.call("pike.top", List.of("ALL"))).size());
        now.addAndGet(121_000);
        pike.clean();
        assertEquals(1, ((List<?>) r.call("pike.top", List.of("ALL"))).size()); // the red one stays until released
    }
}
