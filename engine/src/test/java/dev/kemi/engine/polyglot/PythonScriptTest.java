package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonScriptTest {
    private static PythonScript script;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        script = PolyglotScripts.python(Resources.path("ksr_test.py"), TestModules.table(),
                TestModules.OPTIONS.withEventCallbacks(Map.of("tm", "event_cb")));
    }

    @AfterAll
    static void close() {
        script.close();
    }

    private static List<String> run(String callback) {
        TestContext ctx = new TestContext();
        script.onNamedRoute(RouteType.FAILURE, callback, ctx);
        return ctx.calls;
    }

    @Test
    void requestRouteUsesKsrAndArmsFailureRoute() {
        TestContext ctx = new TestContext();
        script.onRequest(ctx);
        assertEquals(List.of("info:request 1002 rank 1", "t_relay"), ctx.calls);
        assertEquals("my_failure", ctx.failureRoute);
        script.onNamedRoute(RouteType.FAILURE, ctx.failureRoute, ctx);
        assertEquals("info:failure route", ctx.calls.get(2));
    }

    @Test
    void returnValuesAreMarshalledPythonStyle() {
        assertEquals(List.of("num:5", "str:5", "two:a,1", "str:True", "two:b,0", "str:False", "none", "str:0",
                "str:42", "str:'forty-two'", "str:None", "noargs", "str:3", "str:5062"), run("returns"));
    }

    @Test
    void arrayAndDictXvalsAreNoneAsInApp_python3() {
        assertEquals(List.of("str:None"), run("containers"));
    }

    @Test
    void wrongArgumentTypesRaiseTypeErrorAndAbortTheCallback() {
        assertEquals(List.of("str:TypeError: KSR.rec.str() argument 1 must be str, not int",
                "str:TypeError: KSR.rec.str() argument 1 must be str, not NoneType",
                "str:TypeError: KSR.rec.two() takes exactly 2 arguments (1 given)"), run("wrong_types"));
    }

    @Test
    void ksrCallsInModInitWorkWithoutMessageOrFailCleanly() {
        assertEquals(List.of("str:(-1, 'forty-two')", "str:1"), run("outside_message"));
    }

    @Test
    void sysExitIsANormalEnd() {
        assertEquals(List.of("str:before"), run("exiting"));
        assertEquals(List.of("str:before"), run("exiting")); // context still fine
    }

    @Test
    void msgObjectMapsToTheFunctionTable() {
        assertEquals(List.of("str:SIP_REQUEST", "str:INVITE", "str:sip:alice@example.com", "str:('127.0.0.1', 5062)",
                "str:yes", "seturi:sip:bob@example.com", "two:z,3", "str:1", "num:9", "str:9", "str:-1"), run("msg_object"));
    }

    @Test
    void eventCallbackGetsTheEventName() {
        TestContext ctx = new TestContext();
        script.onEvent("tm:local-request", ctx);
        assertEquals(List.of("str:event tm:local-request"), ctx.calls);
    }

    @Test
    void noneReturnAndErrorsDoNotPoisonTheNextCall() {
        assertEquals(List.of(), run("returns_none"));
        assertEquals(List.of("str:raising"), run("raising"));
        assertEquals(List.of("str:before"), run("exiting"));
    }

    @Test
    void appPython3ExecCallsHandlerMethods() {
        assertEquals(List.of("str:exec p", "str:1", "str:-1"), run("call_exec"));
    }

    @Test
    void missingCallbacksAreReported() {
        assertTrue(script.has(RouteType.REQUEST, null));
        assertTrue(script.has(RouteType.FAILURE, "my_failure"));
        assertFalse(script.has(RouteType.CORE_REPLY, null));
        assertEquals(List.of(), run("no_such_route"));
    }

    @Test
    void seedSkeletonLoadsAndRuns() {
        try (PythonScript seed = PolyglotScripts.python(Resources.path("seed/kamailio.py"), TestModules.table(), TestModules.OPTIONS)) {
            TestContext ctx = new TestContext();
            seed.onRequest(ctx);
            assertEquals(List.of("info:====== Kamailio.ksr_request_route \n"), ctx.calls);
        }
    }

    @Test
    void modInitReturningNoneFailsWithFileAndLine() {
        Path p = ScriptFiles.write(dir, "bad_init.py", "import KSR\n\n\ndef mod_init():\n    return None\n");
        ScriptException e = assertThrows(ScriptException.class, () -> PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS));
        assertEquals(p.toString(), e.file());
        assertEquals(4, e.line());
    }

    @Test
    void syntaxErrorFailsWithFileAndLine() {
        Path p = ScriptFiles.write(dir, "bad_syntax.py", "import KSR\n\ndef mod_init(:\n    return 1\n");
        ScriptException e = assertThrows(ScriptException.class, () -> PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS));
        assertEquals(p.toString(), e.file());
        assertEquals(3, e.line());
    }

    @Test
    void modInitRaisingFailsWithTraceback() {
        Path p = ScriptFiles.write(dir, "raising_init.py", "import KSR\n\ndef mod_init():\n    x = 1\n    raise RuntimeError('no way')\n");
        ScriptException e = assertThrows(ScriptException.class, () -> PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS));
        assertEquals(p.toString(), e.file());
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("no way"), e.getMessage());
    }

    /** Kamailio 5.6.3's Router package (values read from app_python3 on Kamailio), logging through KSR.log. */
    @Test
    void legacyRouterPackageIsImportable() {
        Path p = ScriptFiles.write(dir, "router.py", """
                import KSR
                import Router
                import Router.Logger as Logger
                from Router import Ranks
                import Router.Core

                def mod_init():
                    return H()

                class H:
                    def child_init(self, rank):
                        return 0

                    def ksr_request_route(self, msg):
                        KSR.rec.str(repr([Ranks.PROC_MAIN, Ranks.PROC_TIMER, Ranks.PROC_RPC, Ranks.PROC_SIPINIT,
                                          Ranks.PROC_INIT, Ranks.PROC_MIN, Logger.L_ERR, Logger.L_DBG, Logger.L_ALERT,
                                          Logger.DEFAULT_FACILITY, Router.Logger is Logger, sys_modules()]))
                        KSR.rec.str(repr(Logger.LM_ERR("e\\n")))
                        Logger.LM_GEN1(Logger.L_INFO, "g1")
                        Logger.LM_GEN2(Logger.DEFAULT_FACILITY, Logger.L_WARN, "g2")
                        Logger.LM_ALERT("a")
                        try:
                            Logger.LM_GEN1("2", "x")
                        except TypeError as e:
                            KSR.rec.str(str(e))

                def sys_modules():
                    import sys
                    return all(m in sys.modules for m in ('Router', 'Router.Core', 'Router.Logger', 'Router.Ranks'))
                """);
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS)) {
            TestContext ctx = new TestContext();
            s.onRequest(ctx);
            assertEquals(List.of("str:[0, -1, -2, 1, -127, -128, -1, 3, -5, 0, True, True]", "log:err:e\n", "str:None",
                    "log:2:g1", "log:0:g2", "log:alert:a", "str:LM_GEN1() argument 1 must be int, not str"), ctx.calls);
        }
    }

    /** What the error log of a failing callback is made of: the raising line and the traceback. */
    @Test
    void callbackErrorsAreLocatedWithTraceback() {
        Path p = ScriptFiles.write(dir, "err.py", "import KSR\n\ndef mod_init():\n    return H()\n\nclass H:\n"
                + "    def child_init(self, rank):\n        return 0\n\n    def boom(self, msg):\n        helper()\n\n"
                + "def helper():\n    return 1 / 0\n");
        try (PythonScript s = PolyglotScripts.python(p, TestModules.table(), TestModules.OPTIONS)) {
            Worker w = s.worker();
            org.graalvm.polyglot.PolyglotException e = assertThrows(org.graalvm.polyglot.PolyglotException.class,
                    () -> w.call.execute("boom"));
            assertEquals(p + ":14", ScriptErrors.locate(e, "fallback.py").toString());
            String tb = ScriptErrors.traceback(e);
            assertTrue(tb.contains("ZeroDivisionError") && tb.contains("at helper (" + p + ":14)\n  at boom (" + p + ":11)"), tb);
        }
    }

    @Test
    void apiListHasKamailioShape() {
        Map<String, Object> list = ApiList.of(TestModules.table());
        List<?> methods = (List<?>) list.get("methods");
        assertEquals(methods.size(), list.get("msize"));
        assertTrue(methods.contains(Map.of("func", Map.of("ret", "bool", "module", "rec", "name", "two", "params", "str, int"))));
        assertTrue(methods.contains(Map.of("func", Map.of("ret", "none", "module", "", "name", "info", "params", "str"))));
    }
}
