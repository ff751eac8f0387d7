package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.api.RouteType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class WatchdogTest {
    @TempDir
    Path dir;

    private static final ScriptOptions FAST = ScriptOptions.defaults().withCallLimit(Duration.ofMillis(200));

    private static List<String> run(PolyglotScript s, String callback) {
        TestContext ctx = new TestContext();
        s.onNamedRoute(RouteType.FAILURE, callback, ctx);
        return ctx.calls;
    }

    @Test
    void runawayJsCallIsInterruptedAndTheWorkerGoesOn() {
        Path p = ScriptFiles.write(dir, "loop.js",
                "function spin() { KSR.rec.str('spinning'); while (true) {} }\nfunction ok() { KSR.rec.str('ok'); }\n");
        try (JsScript s = PolyglotScripts.js(p, TestModules.table(), FAST)) {
            assertEquals(List.of("str:spinning"), run(s, "spin"));
            assertEquals(List.of("str:ok"), run(s, "ok"));
            assertEquals(List.of("str:spinning"), run(s, "spin"));
            assertEquals(List.of("str:ok"), run(s, "ok"));
        }
    }

    @Test
    void runawayPythonCallIsInterruptedAndTheWorkerGoesOn() {
        Path p = ScriptFiles.write(dir, "loop.py", "import KSR\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        return 0\n\n"
                + "    def spin(self, msg):\n        KSR.rec.str('spinning')\n        while True:\n            pass\n\n"
                + "    def ok(self, msg):\n        KSR.rec.str('ok')\n");
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), FAST)) {
            assertEquals(List.of("str:spinning"), run(s, "spin"));
            assertEquals(List.of("str:ok"), run(s, "ok"));
        }
    }
}
