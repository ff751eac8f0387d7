package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.ScriptException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ReloadTest {
    @TempDir
    Path dir;

    private static List<String> request(PolyglotScript s) {
        TestContext ctx = new TestContext();
        s.onRequest(ctx);
        return ctx.calls;
    }

    private static String js(String tag) {
        return "function ksr_request_route() { KSR.rec.str('" + tag + "'); }\n";
    }

    @Test
    void jsReloadSwapsBehaviourAndBrokenReloadKeepsTheOld() {
        Path p = ScriptFiles.write(dir, "r.js", js("v1"));
        try (JsScript s = PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS)) {
            assertEquals(List.of("str:v1"), request(s));
            ScriptFiles.write(dir, "r.js", js("v2"));
            assertEquals(Map.of("old", 0, "new", 1), s.reload().toMap());
            assertEquals(List.of("str:v2"), request(s));

            ScriptFiles.write(dir, "r.js", "function ksr_request_route() {\n  KSR.rec.str('v3'\n}\n");
            ScriptException e = assertThrows(ScriptException.class, s::reload);
            assertEquals(p.toString(), e.file());
            assertTrue(e.line() > 0);
            assertEquals(1, s.version());
            assertEquals(List.of("str:v2"), request(s));
        }
    }

    @Test
    void pythonReloadReloadsHelperModulesAndBrokenReloadKeepsTheOld() {
        ScriptFiles.write(dir, "helper.py", "TAG = 'h1'\n");
        String main = "import KSR\nimport helper\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        return 0\n\n"
                + "    def ksr_request_route(self, msg):\n        KSR.rec.str(helper.TAG + ' %s')\n";
        Path p = ScriptFiles.write(dir, "main.py", main.formatted("m1"));
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS)) {
            assertEquals(List.of("str:h1 m1"), request(s));
            ScriptFiles.write(dir, "helper.py", "TAG = 'h2'\n");
            ScriptFiles.write(dir, "main.py", main.formatted("m2"));
            s.reload();
            assertEquals(List.of("str:h2 m2"), request(s));

            ScriptFiles.write(dir, "main.py", "import KSR\n\ndef mod_init():\n    return None\n");
            ScriptException e = assertThrows(ScriptException.class, s::reload);
            assertEquals(3, e.line());
            assertEquals(List.of("str:h2 m2"), request(s));
        }
    }

    @Test
    void reloadPreparesTheWorkerContextsSoHelpersMatchTheReloadedScript() {
        ScriptFiles.write(dir, "helper.py", "TAG = 'h1'\n");
        Path p = ScriptFiles.write(dir, "main.py", "import KSR\nimport helper\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        return 0\n\n"
                + "    def ksr_request_route(self, msg):\n        KSR.rec.str(helper.TAG)\n");
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS)) {
            assertEquals(List.of("str:h1"), request(s));
            ScriptFiles.write(dir, "helper.py", "TAG = 'h2'\n");
            s.reload();
            // edited after the reload: the worker's context was made by the reload, with h2
            ScriptFiles.write(dir, "helper.py", "TAG = 'h3'\n");
            assertEquals(List.of("str:h2"), request(s));
        }
    }

    /** A worker thread that joins after the helper changed on disk still runs the loaded version's helper. */
    @Test
    void contextsMadeLaterRunTheHelpersTheirVersionLoaded() throws Exception {
        ScriptFiles.write(dir, "helper.py", "TAG = 'h1'\n");
        ScriptFiles.write(dir, "helper.js", "exports.TAG = 'j1';\n");
        Path py = ScriptFiles.write(dir, "main.py", "import KSR\nimport helper\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        return 0\n\n"
                + "    def ksr_request_route(self, msg):\n        KSR.rec.str(helper.TAG)\n");
        Path js = ScriptFiles.write(dir, "main.js", "const helper = require('./helper');\n"
                + "function ksr_request_route() { KSR.rec.str(helper.TAG); }\n");
        ExecutorService later = Executors.newSingleThreadExecutor();
        try (PythonScript p = PolyglotScripts.python(py, TestModules.table(), TestModules.OPTIONS);
                JsScript j = PolyglotScripts.js(js, TestModules.table(), TestModules.OPTIONS)) {
            assertEquals(List.of("str:h1"), request(p)); // takes the context made at load
            assertEquals(List.of("str:j1"), request(j));
            ScriptFiles.write(dir, "helper.py", "TAG = 'h2'\n");
            ScriptFiles.write(dir, "helper.js", "exports.TAG = 'j2';\n");
            // a second worker thread creates its context of version 0 now
            assertEquals(List.of("str:h1"), later.submit(() -> request(p)).get(60, TimeUnit.SECONDS));
            assertEquals(List.of("str:j1"), later.submit(() -> request(j)).get(60, TimeUnit.SECONDS));
            p.reload();
            j.reload(); // require()d modules are reloaded with the script
            assertEquals(List.of("str:h2"), request(p));
            assertEquals(List.of("str:j2"), request(j));
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void callInFlightFinishesOnTheOldGenerationWhileNewCallsUseTheNew() throws Exception {
        String v1 = "function ksr_request_route() { KSR.rec.str('v1 before'); KSR.gate.block(); KSR.rec.str('v1 after'); }\n";
        Path p = ScriptFiles.write(dir, "inflight.js", v1);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (JsScript s = PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS)) {
            TestContext slow = new TestContext();
            Future<?> inFlight = worker.submit(() -> s.onRequest(slow));
            assertTrue(slow.entered.await(30, TimeUnit.SECONDS));

            ScriptFiles.write(dir, "inflight.js", js("v2"));
            s.reload();
            assertEquals(List.of("str:v2"), request(s));

            slow.gate.countDown();
            inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("str:v1 before", "str:v1 after"), slow.calls);
            // the same worker thread moves to the new generation on its next message
            assertEquals(List.of("str:v2"), worker.submit(() -> request(s)).get(30, TimeUnit.SECONDS));
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void eachWorkerThreadHasItsOwnContextAndReloadClosesThemFromAnotherThread() throws Exception {
        String v1 = "let calls = 0;\nfunction ksr_request_route() { calls++; KSR.rec.str('v1 ' + calls); }\n";
        Path p = ScriptFiles.write(dir, "workers.js", v1);
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        try (JsScript s = PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS)) {
            assertEquals(List.of("str:v1 1"), a.submit(() -> request(s)).get(30, TimeUnit.SECONDS));
            assertEquals(List.of("str:v1 2"), a.submit(() -> request(s)).get(30, TimeUnit.SECONDS));
            assertEquals(List.of("str:v1 1"), b.submit(() -> request(s)).get(30, TimeUnit.SECONDS)); // own globals
            ScriptFiles.write(dir, "workers.js", js("v2"));
            s.reload(); // closes the idle v1 contexts of threads a and b from this thread
            assertEquals(List.of("str:v2"), a.submit(() -> request(s)).get(30, TimeUnit.SECONDS));
            assertEquals(List.of("str:v2"), b.submit(() -> request(s)).get(30, TimeUnit.SECONDS));
        } finally {
            a.shutdownNow();
            b.shutdownNow();
        }
    }
}
