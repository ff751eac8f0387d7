package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ScriptWatcherTest {
    @TempDir
    Path dir;

    @Test
    void changedScriptIsReloaded() throws Exception {
        Path p = ScriptFiles.write(dir, "w.js", "function ksr_request_route() { KSR.rec.str('v1'); }\n");
        try (JsScript s = PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS);
                ScriptWatcher w = ScriptWatcher.watch(s)) {
            ScriptFiles.write(dir, "w.js", "function ksr_request_route() { KSR.rec.str('v2'); }\n");
            while (s.version() == 0) Thread.onSpinWait(); // bounded by @Timeout
            TestContext ctx = new TestContext();
            s.onRequest(ctx);
            assertEquals(List.of("str:v2"), ctx.calls);
        }
    }

    @Test
    void onlySourcesOfTheScriptsLanguageCount() {
        Path script = Path.of("/etc/kemi/route.py");
        assertTrue(ScriptWatcher.isSource(script, Path.of("helper.py")));
        assertFalse(ScriptWatcher.isSource(script, Path.of("proxy.log")));
        assertFalse(ScriptWatcher.isSource(script, Path.of("route.py.swp")));
        assertFalse(ScriptWatcher.isSource(Path.of("a.js"), Path.of("b.py")));
    }
}
