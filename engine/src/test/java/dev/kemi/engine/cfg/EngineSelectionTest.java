package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.api.RouteType;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import dev.kemi.api.ScriptException;
import dev.kemi.engine.ScriptEngineFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineSelectionTest {
    @TempDir Path dir;
    CfgTesting cfg;
    final List<String> events = new ArrayList<>();

    /** A KEMI engine that records what it is asked to run. */
    final ScriptEngineFactory python = new ScriptEngineFactory() {
        public String name() { return "python"; }

        public String moduleName() { return "app_python3"; }

        public RoutingScript load(LoadedConfig c) {
            events.add("load " + c.modparam("app_python3", "load"));
            return new RoutingScript() {
                public void onRequest(ScriptContext ctx) { events.add("kemi request"); }
                public void onReply(ScriptContext ctx) { events.add("kemi reply"); }
                public void onNamedRoute(int t, String n, ScriptContext ctx) { events.add("kemi " + n); }
                public void onSend(ScriptContext ctx) { events.add("kemi send"); }
                public void onEvent(String e, ScriptContext ctx) { events.add("kemi " + e); }
                public boolean has(int t, String n) { return true; }
            };
        }
    };

    @BeforeEach
    void setUp() {
        cfg = new CfgTesting(dir);
    }

    LoadedConfig load(String text) {
        return ConfigLoader.load(cfg.write("e.cfg", text), Set.of(), new Fakes.Catalog(), cfg.pvs, List.of(python));
    }

    @Test
    void kemiEngineGetsTheScript() {
        LoadedConfig c = load("""
                loadmodule "app_python3.so"
                modparam("app_python3", "load", "/tmp/k.py")
                cfgengine "Python"
                """);
        assertEquals("python", c.cfgEngine());
        assertEquals(List.of("load /tmp/k.py"), events);
        c.script().onRequest(new Fakes.Ctx());
        c.script().onNamedRoute(RouteType.FAILURE, "ksr_failure", new Fakes.Ctx());
        assertEquals(List.of("load /tmp/k.py", "kemi request", "kemi ksr_failure"), events);
        assertEquals("native", load("cfgengine = \"native\"\n").cfgEngine());
    }

    @Test
    void nativeRequestRouteWinsForRequests() {
        LoadedConfig c = load("""
                loadmodule "app_python3.so"
                loadmodule "tst"
                modparam("app_python3", "load", "/tmp/k.py")
                cfgengine "python"
                request_route { rec("native"); }
                """);
        Fakes.Ctx ctx = new Fakes.Ctx();
        c.script().onRequest(ctx);
        c.script().onReply(ctx);
        assertEquals(List.of("native"), ctx.calls);
        assertEquals(List.of("load /tmp/k.py", "kemi reply"), events);
    }

    @Test
    void unknownOrUnloadedEngineIsAnError() {
        ScriptException e = assertThrows(ScriptException.class,
                () -> load("loadmodule \"app_python3.so\"\ncfgengine \"python3\"\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("Can't set config routing engine"), e.getMessage());
        assertThrows(ScriptException.class, () -> load("cfgengine \"python\"\n"));
        assertThrows(ScriptException.class, () -> load("cfgengine \"python\"\nloadmodule \"app_python3.so\"\n"));
    }
}
