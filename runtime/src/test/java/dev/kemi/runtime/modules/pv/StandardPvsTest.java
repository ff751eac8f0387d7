package dev.kemi.runtime.modules.pv;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.Module;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardPvsTest {
    private final StandardPvs pvs = new StandardPvs();
    private final PvModule pv = new PvModule(pvs);
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.0.1", 5080));

    private Object get(MessageContext c, String name) {
        return pvs.resolve(PvSpec.parse(name)).get(c);
    }

    @Test
    void messageFields() {
        MessageContext c = ctx(svc, invite("User-Agent: phone/1.0"));
        assertEquals("sip:bob@127.0.0.1", get(c, "$ru"));
        assertEquals("bob", get(c, "$rU"));
        assertEquals("127.0.0.1", get(c, "$rd"));
        assertEquals(5060, get(c, "$rp"));
        assertEquals("INVITE", get(c, "$rm"));
        assertNull(get(c, "$rs"));
        assertEquals("sip:alice@127.0.0.2", get(c, "$fu"));
        assertEquals("alice", get(c, "$fU"));
        assertEquals("f1", get(c, "$ft"));
        assertNull(get(c, "$tt"));
        assertEquals("bob", get(c, "$tU"));
        assertEquals("call-1@127.0.0.2", get(c, "$ci"));
        assertEquals("1", get(c, "$cs"));
        assertEquals("phone/1.0", get(c, "$ua"));
        assertEquals("127.0.0.2", get(c, "$si"));
        assertEquals(5070, get(c, "$sp"));
        assertEquals("127.0.0.1", get(c, "$Ri"));
        assertEquals(5080, get(c, "$Rp"));
        assertEquals("udp", get(c, "$pr"));
        assertEquals(0, get(c, "$bs"));
        assertNull(get(c, "$null"));
        assertNull(get(c, "$du"));
    }

    @Test
    void writableRequestUriParts() {
        MessageContext c = ctx(svc, invite());
        assertTrue(pv.sets(c, "$rU", "carol"));
        assertTrue(pv.sets(c, "$rd", "example.com"));
        assertTrue(pv.seti(c, "$rp", 5099));
        assertEquals("sip:carol@example.com:5099", c.msg().requestUri());
        assertTrue(pv.sets(c, "$du", "sip:127.0.0.9:5090"));
        assertEquals("sip:127.0.0.9:5090", c.dstUri());
        assertTrue(pv.unset(c, "$du"));
        assertNull(c.dstUri());
        assertFalse(pv.sets(c, "$ci", "x"));
    }

    @Test
    void varNeverNull() {
        MessageContext c = ctx(svc, invite());
        assertEquals(0, pv.get(c, "$var(never_set_here)"));
        assertTrue(pv.seti(c, "$var(n)", 5));
        assertEquals(5, pv.get(c, "$var(n)"));
        assertTrue(pv.sets(c, "$var(n)", "five"));
        assertEquals("five", pv.get(c, "$var(n)"));
        assertTrue(pv.unset(c, "$var(n)"));
        assertEquals(0, pv.get(c, "$var(n)"));
        assertFalse(pv.is_null(c, "$var(n)"));
    }

    @Test
    void avpStack() {
        MessageContext c = ctx(svc, invite());
        assertTrue(pv.is_null(c, "$avp(x)"));
        pv.seti(c, "$avp(x)", 1);
        pv.sets(c, "$avp(x)", "two");
        assertEquals("two", pv.get(c, "$avp(x)"));
        assertEquals(1, pv.get(c, "$(avp(x)[1])"));
        pv.sets(c, "$(avp(x)[1])", "one"); // pv_set_avp adds whatever the index
        assertEquals("one", pv.get(c, "$(avp(x)[0])"));
        assertEquals("two", pv.get(c, "$(avp(x)[1])"));
        assertEquals("one, two, 1", pv.get(c, "$(avp(x)[*])"));
        pv.unset(c, "$(avp(x)[*])");
        assertTrue(pv.is_null(c, "$avp(x)"));
    }

    @Test
    void avpStringNamePrefixIsTheSameAvp() {
        MessageContext c = ctx(svc, invite());
        pv.sets(c, "$avp(s:rcv)", "sip:a@127.0.0.1");
        assertEquals("sip:a@127.0.0.1", pv.get(c, "$avp(rcv)"));
        pv.seti(c, "$avp(i:5)", 7);
        assertTrue(pv.is_null(c, "$avp(5)"));
    }

    @Test
    void headersWithIndex() {
        MessageContext c = ctx(svc, invite("X-A: 1", "X-A: 2"));
        assertEquals("1", get(c, "$hdr(X-A)"));
        assertEquals("2", get(c, "$(hdr(X-A)[-1])"));
        assertEquals("1,2", get(c, "$(hdr(X-A)[*])"));
        assertNull(get(c, "$hdr(X-B)"));
    }

    @Test
    void transformations() {
        MessageContext c = ctx(svc, invite());
        assertEquals("alice", get(c, "$(fu{uri.user})"));
        assertEquals(19, get(c, "$(fu{s.len})"));
        assertEquals("SIP:ALICE@127.0.0.2", get(c, "$(fu{s.toupper})"));
        assertEquals("sip:alice@127.0.0.2", get(c, "$(hdr(From){nameaddr.uri})"));
        assertEquals("f1", get(c, "$(hdr(From){param.value,tag})"));
        assertThrows(IllegalArgumentException.class, () -> pvs.resolve(PvSpec.parse("$(fu{no.such})")));
    }

    @Test
    void kemiGetterVariants() {
        MessageContext c = ctx(svc, invite());
        assertNull(pv.get(c, "$nosuchpv"));
        assertNull(pv.get(c, "$du"));
        assertEquals("", pv.gete(c, "$du"));
        assertEquals("<null>", pv.getw(c, "$du"));
        assertEquals(7, pv.getvn(c, "$du", 7));
        assertEquals("d", pv.getvs(c, "$du", "d"));
        assertEquals(5070, pv.geti(c, "$sp"));
        assertEquals(1, pv.geti(c, "$cs"));
        assertEquals(0, pv.geti(c, "$du"));
        assertTrue(pv.is_null(c, "$nosuchpv"));
    }

    /** A stand-in for tm: the module of the proxy that implements tm's API for pv. */
    @Module(value = "tm", loadName = "tm")
    public static final class FakeTm implements TmValues {
        @Override
        public Object tmValue(String name, MessageContext ctx) { return name.equals("T_branch_idx") ? 2 : null; }
    }

    @Test
    void tmValuesComeFromTheProxysTm() {
        MessageContext c = ctx(svc, invite());
        assertNull(get(c, "$T_branch_idx"));
        svc.functions = FunctionTable.build(List.of(new FakeTm()));
        assertEquals(2, get(c, "$T_branch_idx"));
    }

    @Test
    void avpsGoToTheStoreAttachedToTheMessage() {
        MessageContext c = ctx(svc, invite());
        AvpStore shared = new AvpStore();
        c.attach(AvpStore.class, shared);
        pv.seti(c, "$avp(t)", 9);
        assertEquals(9, shared.get("t", 0));
    }

    @Test
    void varAndShvBelongToOneProxysPvs() {
        StandardPvs other = new StandardPvs();
        MessageContext c = ctx(svc, invite());
        pv.seti(c, "$var(k)", 1);
        pv.seti(c, "$shv(k)", 2);
        assertEquals(0, other.resolve(PvSpec.parse("$var(k)")).get(c));
        assertEquals(0, other.resolve(PvSpec.parse("$shv(k)")).get(c));
        assertEquals(1, get(c, "$var(k)"));
        assertEquals(2, get(c, "$shv(k)"));
    }

    @Test
    void pvxShortcutsShareTheStores() {
        MessageContext c = ctx(svc, invite());
        PvxModule x = new PvxModule(pvs);
        x.var_seti(c, "k", 4);
        assertEquals(4, pv.get(c, "$var(k)"));
        x.shv_sets(c, "s", "v");
        assertEquals("v", pv.get(c, "$shv(s)"));
        assertEquals(1, x.avp_is_null(c, "a"));
        x.avp_seti(c, "a", 1);
        x.avp_sets(c, "a", "two");
        assertEquals("two", x.avp_get(c, "a"));
        assertEquals(1, pv.get(c, "$(avp(a)[1])"));
        assertEquals(-1, x.avp_is_null(c, "a"));
        x.avp_rm(c, "a");
        assertEquals("<null>", x.avp_getw(c, "a"));
    }
}
