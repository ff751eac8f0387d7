package dev.kemi.engine.cfg;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.api.ScriptException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cfgengine "jsdt" end to end: the ServiceLoader factory, app_jsdt modparams, KSR calls into a module. */
class JsdtEngineTest {
    @TempDir Path dir;

    @Test
    void jsScriptRunsThroughTheServiceLoaderFactory() {
        CfgTesting cfg = new CfgTesting(dir);
        Path js = cfg.write("k.js", """
                function ksr_request_route() {
                    KSR.tst.rec("js " + KSR.tst.f(5));
                }
                """);
        Path file = cfg.write("k.cfg", """
                loadmodule "tst"
                loadmodule "app_jsdt.so"
                modparam("app_jsdt", "load", "%s")
                kemi.reply_route_callback = "none"
                cfgengine "jsdt"
                """.formatted(js));
        LoadedConfig c = ConfigLoader.load(file, Set.of(), new Fakes.Catalog(), cfg.pvs);
        try (var script = c.script()) {
            assertEquals("jsdt", c.cfgEngine());
            Fakes.Ctx ctx = new Fakes.Ctx();
            script.onRequest(ctx);
            assertEquals(List.of("f(5)", "js 5"), ctx.calls);
        }
    }

    @Test
    void scriptErrorsComeBackAsScriptExceptions() {
        CfgTesting cfg = new CfgTesting(dir);
        Path js = cfg.write("bad.js", "function ksr_request_route( {\n");
        Path file = cfg.write("k.cfg", """
                loadmodule "app_jsdt.so"
                modparam("app_jsdt", "load", "%s")
                cfgengine "jsdt"
                """.formatted(js));
        ScriptException e = assertThrows(ScriptException.class,
                () -> ConfigLoader.load(file, Set.of(), new Fakes.Catalog(), cfg.pvs));
        assertTrue(e.file().endsWith("bad.js"), e.getMessage());
    }
}
