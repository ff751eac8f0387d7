package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kemi.api.ModuleCatalog;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.engine.cfg.ConfigLoader;
import dev.kemi.engine.cfg.LoadedConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cfgengine "python" / "jsdt" find these engines through ServiceLoader and the app_* modparams. */
class CfgEngineTest {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void generousWatchdog() {
        // the cfg path takes ScriptOptions.defaults(): keep a cold call on a loaded machine from tripping it
        System.setProperty("kemi.script.callLimitMs", "30000");
    }

    private static final ModuleCatalog CATALOG = new ModuleCatalog() {
        @Override
        public Optional<Object> create(String loadName) {
            return switch (loadName) {
                case "app_python3" -> Optional.of(new AppPython3Module());
                case "app_jsdt" -> Optional.of(new AppJsdtModule());
                case "tm" -> Optional.of(new TestModules.Tm());
                default -> Optional.empty();
            };
        }

        @Override
        public List<Object> builtins() {
            return List.of(new TestModules.Core(), new TestModules.Rec());
        }
    };

    private static final PvProvider NO_PVS = (PvSpec spec) -> {
        throw new IllegalArgumentException("no pvs in this test");
    };

    @Test
    void cfgenginePythonLoadsTheModparamScriptWithItsInitNames() {
        ScriptFiles.write(dir, "route.py", "import KSR\n\ndef start():\n    return H()\n\nclass H:\n"
                + "    def init_child(self, rank):\n        return 0\n\n"
                + "    def ksr_request_route(self, msg):\n        KSR.rec.str('py')\n");
        Path cfg = ScriptFiles.write(dir, "kamailio.cfg", """
                loadmodule "tm.so"
                loadmodule "app_python3.so"
                modparam("app_python3", "load", "route.py")
                modparam("app_python3", "mod_init_function", "start")
                modparam("app_python3", "child_init_method", "init_child")
                cfgengine "python"
                """);
        LoadedConfig lc = ConfigLoader.load(cfg, Set.of(), CATALOG, NO_PVS);
        try (var script = lc.script()) {
            // the Python script, behind the cfg's native blocks (KSR.route); no native request_route: requests go to it
            assertInstanceOf(PythonScript.class, lc.functions().module(AppPython3Module.class).bound());
            TestContext ctx = new TestContext();
            script.onRequest(ctx);
            assertEquals(List.of("str:py"), ctx.calls);
        }
    }

    @Test
    void cfgengineJsdtLoadsTheModparamScript() {
        Path js = ScriptFiles.write(dir, "route.js", "function ksr_request_route() { KSR.rec.str('js'); }\n");
        Path cfg = ScriptFiles.write(dir, "kamailio.cfg", """
                loadmodule "app_jsdt.so"
                modparam("app_jsdt", "load", "%s")
                cfgengine "jsdt"
                """.formatted(js));
        LoadedConfig lc = ConfigLoader.load(cfg, Set.of(), CATALOG, NO_PVS);
        try (var script = lc.script()) {
            TestContext ctx = new TestContext();
            script.onRequest(ctx);
            assertEquals(List.of("str:js"), ctx.calls);
        }
    }
}
