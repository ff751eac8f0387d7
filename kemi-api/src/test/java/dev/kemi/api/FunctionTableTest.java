package dev.kemi.api;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionTableTest {
    static final class Ctx implements ScriptContext {
        boolean dropped;
        public int routeType() { return RouteType.REQUEST; }
        public void setDrop() { dropped = true; }
        public boolean isDropped() { return dropped; }
        public boolean isMyself(String v, boolean n) { return false; }
    }

    @Module(value = "maxfwd", loadName = "maxfwd")
    public static final class MaxFwd {
        int limit = 70;

        @Param("max_limit")
        public void maxLimit(int v) { limit = v; }

        @Export(value = "process_maxfwd", natives = {"mf_process_maxfwd_header", "maxfwd_process", "process_maxfwd"})
        public int process(Ctx ctx, int max) { return max > 0 ? 2 : -1; }

        @Export
        public boolean flag(Ctx ctx) { return true; }

        @Export
        public Object xv(Ctx ctx, String a) { return a.isEmpty() ? null : a; }

        @Export(value = "log_it", natives = "log_it")
        public void log(Ctx ctx, String a, int b) {}
    }

    @Test
    void buildsNamesTypesAndInvokes() {
        FunctionTable t = FunctionTable.build(List.of(new MaxFwd()));
        KemiFunction f = t.kemi("maxfwd", "process_maxfwd");
        assertEquals(List.of(KemiType.INT), f.params());
        assertEquals(KemiType.INT, f.returns());
        assertSame(f, t.nativeFunction("mf_process_maxfwd_header", 1));
        assertSame(f, t.nativeFunction("maxfwd_process", 1));
        assertNull(t.nativeFunction("maxfwd_process", 2));
        assertEquals(2, f.invoke(new Ctx(), 10));
        assertEquals(Boolean.TRUE, t.kemi("maxfwd", "flag").invoke(new Ctx()));
        assertNull(t.kemi("maxfwd", "xv").invoke(new Ctx(), ""));
        assertNull(t.kemi("maxfwd", "log_it").invoke(new Ctx(), "a", 1));
        assertEquals(KemiType.NONE, t.kemi("maxfwd", "log_it").returns());
        assertEquals("str, int", t.kemi("maxfwd", "log_it").paramList());
    }

    @Test
    void parsesPvSpecs() {
        assertEquals(new PvSpec("ru", null, null, List.of()), PvSpec.parse("$ru"));
        assertEquals(new PvSpec("var", "x", null, List.of()), PvSpec.parse("$var(x)"));
        assertEquals(new PvSpec("hdr", "Via", -1, List.of()), PvSpec.parse("$(hdr(Via)[-1])"));
        assertEquals(new PvSpec("avp", "a", PvSpec.ALL, List.of()), PvSpec.parse("$(avp(a)[*])"));
        assertEquals(new PvSpec("ru", null, null, List.of("uri.user")), PvSpec.parse("$(ru{uri.user})"));
        assertEquals("$(hdr(Via)[-1])", PvSpec.parse("$(hdr(Via)[-1])").toString());
        assertThrows(IllegalArgumentException.class, () -> PvSpec.parse("$var(x"));
        assertThrows(IllegalArgumentException.class, () -> PvSpec.parse("ru"));
    }
}
