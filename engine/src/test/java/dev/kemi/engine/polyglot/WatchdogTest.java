package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.RouteType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
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

    /** The location the watchdog's report names, for a call interrupted as the watchdog does it. */
    @Test
    void interruptedPythonCallIsLocated() throws Exception {
        Path p = ScriptFiles.write(dir, "spin.py", "import KSR\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        return 0\n\n"
                + "    def spin(self, msg):\n        KSR.rec.str('spinning')\n        while True:\n            pass\n");
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS)) {
            Worker w = s.worker();
            PolyglotException e = interrupted(w, "spin");
            // GraalPy gives no frame lines for the script module: the callback's def line names it
            ScriptErrors.Location l = s.interruptLocation(e, "spin", w);
            assertEquals(p + ":10", l.toString());
            assertEquals("spin", l.function());
        }
    }

    @Test
    void interruptedJsCallIsLocatedAtTheCurrentLine() throws Exception {
        Path p = ScriptFiles.write(dir, "spin.js", "function helper() {\n  KSR.rec.str('spinning');\n  for (;;) {\n  }\n}\n"
                + "function spin() {\n  helper();\n}\n");
        try (JsScript s = PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS)) {
            Worker w = s.worker();
            ScriptErrors.Location l = s.interruptLocation(interrupted(w, "spin"), "spin", w);
            assertTrue(l.toString().equals(p + ":3") || l.toString().equals(p + ":4"), l.toString());
            assertEquals("helper", l.function());
        }
    }

    /** Runs callback {@code name} on the worker and interrupts it once it called KSR.rec.str. */
    private static PolyglotException interrupted(Worker w, String name) throws Exception {
        TestContext ctx = new TestContext();
        w.current = ctx;
        Thread interrupter = new Thread(() -> {
            try {
                while (ctx.calls.isEmpty()) Thread.sleep(10); // polling the script's progress: nothing to await
                w.context.interrupt(Duration.ofSeconds(30));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        interrupter.start();
        try {
            w.call.execute(name);
            throw new AssertionError("not interrupted");
        } catch (PolyglotException e) {
            assertTrue(e.isInterrupted());
            return e;
        } finally {
            interrupter.join();
            w.current = null;
        }
    }

    @Test
    void aCallThatWaitsRatherThanComputesIsNotInterrupted() throws Exception {
        // a call that is slow without burning CPU (a starved thread on an overloaded machine, a
        // blocking KSR function such as a database query) is no runaway: only CPU time spent in
        // the call counts against the limit. The wait is in host code on purpose: GraalPy's own
        // time.sleep is re-entered for every Truffle handshake while compilations are under way
        // and was measured burning 250 ms of CPU in a 600 ms sleep
        Path p = ScriptFiles.write(dir, "wait.py", "import KSR\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        return 0\n\n"
                + "    def wait(self, msg):\n        KSR.gate.block()\n        KSR.rec.str('done')\n");
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), FAST)) {
            TestContext ctx = new TestContext();
            Thread opener = new Thread(() -> {
                try {
                    ctx.entered.await();
                    Thread.sleep(600); // the stimulus: a wait three times the CPU limit
                    ctx.gate.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            opener.start();
            s.onNamedRoute(RouteType.FAILURE, "wait", ctx);
            opener.join();
            assertEquals(List.of("str:done"), ctx.calls);
        }
    }
}
