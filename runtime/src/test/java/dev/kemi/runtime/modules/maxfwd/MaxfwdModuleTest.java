package dev.kemi.runtime.modules.maxfwd;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import org.junit.jupiter.api.Test;

class MaxfwdModuleTest {
    private final MaxfwdModule mf = new MaxfwdModule();
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080));

    private MessageContext with(String maxForwards) {
        String m = invite();
        m = maxForwards == null ? m.replace("Max-Forwards: 70\n", "") : m.replace("Max-Forwards: 70", "Max-Forwards: " + maxForwards);
        return ctx(svc, m);
    }

    @Test
    void decrementsInPlace() {
        MessageContext c = with("10");
        assertEquals(1, mf.process_maxfwd(c, 10));
        String out = c.msg().toString();
        // Kamailio rewrites the digits inside the received bytes, right aligned: "10" becomes " 9"
        assertTrue(out.contains("\r\nMax-Forwards:  9\r\nFrom:"), out);
        assertEquals(" 9", c.msg().header("Max-Forwards"));
        assertEquals(1, mf.is_maxfwd_lt(c, 10));
    }

    @Test
    void addsWhenMissing() {
        MessageContext c = with(null);
        assertEquals(2, mf.process_maxfwd(c, 16));
        assertTrue(c.msg().toString().contains("\r\nMax-Forwards: 16\r\nVia:"), c.msg().toString());
    }

    @Test
    void clampsToMaxLimit() {
        mf.maxLimit(20);
        MessageContext c = with("70");
        assertEquals(1, mf.process_maxfwd(c, 10));
        assertTrue(c.msg().toString().contains("Max-Forwards: 20\r\n"));
    }

    @Test
    void zeroAndErrors() {
        assertEquals(-1, mf.process_maxfwd(with("0"), 10));
        assertEquals(-2, mf.process_maxfwd(with("abc"), 10));
        assertEquals(-1, mf.process_maxfwd(with("5"), 256));
    }

    @Test
    void lowerThan() {
        assertEquals(1, mf.is_maxfwd_lt(with("3"), 5));
        assertEquals(-1, mf.is_maxfwd_lt(with("5"), 5));
        assertEquals(-2, mf.is_maxfwd_lt(with(null), 5));
        assertEquals(-3, mf.is_maxfwd_lt(with("x"), 5));
    }
}
