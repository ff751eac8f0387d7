package dev.kemi.runtime.modules.jsonrpcs;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class JsonrpcsDispatchTest {
    /** 5.6.3 returns NONSIP_MSG_PASS (1) for a message that is not HTTP, even without the HTTP transport. */
    @Test
    void aSipMessageIsPassedWithOne() {
        FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.64.1", 5060));
        assertEquals(1, new JsonrpcsModule().jsonrpc_dispatch(ctx(svc, invite())));
        assertEquals(0, svc.sent.size());
    }
}
