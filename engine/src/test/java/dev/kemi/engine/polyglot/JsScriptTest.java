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

class JsScriptTest {
    private static JsScript script;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        script = PolyglotScripts.js(Resources.path("ksr_test.js"), TestModules.table(),
                TestModules.OPTIONS.withEventCallbacks(Map.of("tm", "event_cb")));
    }

    @AfterAll
    static void close() {
        script.close();
    }

    private static TestContext run(String callback) {
        TestContext ctx = new TestContext();
        script.onNamedRoute(RouteType.FAILURE, callback, ctx);
        return ctx;
    }

    @Test
    void requestRouteUsesKsrAndArmsFailureRoute() {
        TestContext ctx = new TestContext();
        script.onRequest(ctx);
        assertEquals(List.of("info:request", "t_relay"), ctx.calls);
        assertEquals("my_failure", ctx.failureRoute);
        script.onNamedRoute(RouteType.FAILURE, ctx.failureRoute, ctx);
        assertEquals("info:failure route", ctx.calls.get(2));
    }

    @Test
    void argumentsAreCoercedAndReturnsMarshalledJsStyle() {
        assertEquals(List.of("num:5", "str:5", "num:200", "str:200", "num:3", "str:3", "num:1", "str:1", "num:0", "str:0",
                "str:12", "str:7", "str:null", "str:7", "num:0", "str:0", "two:a,1", "str:true", "none", "str:false", "str:42", "str:\"forty-two\"", "str:null",
                "noargs", "str:3", "str:false", "str:false"), run("returns").calls);
    }

    @Test
    void arrayAndDictXvalsAreJsArraysAndObjects() {
        assertEquals(List.of("str:[{\"k\":[1,\"v\"]},{}] 2 v true"), run("containers").calls);
    }

    @Test
    void tooFewArgumentsThrowRangeError() {
        assertEquals(List.of("str:RangeError"), run("too_few").calls);
    }

    @Test
    void exitAndDropEndTheCallback() {
        assertEquals(List.of("str:before"), run("exiting").calls);
        TestContext dropped = run("dropping");
        assertEquals(List.of(), dropped.calls);
        assertTrue(dropped.dropped);
    }

    @Test
    void tryCatchSwallowsExitAsInKamailio() {
        assertEquals(List.of("str:caught ~~ksr~exit~~", "str:continued"), run("swallowed").calls);
    }

    @Test
    void modfCallsNativeNames() {
        assertEquals(List.of("two:z,3", "str:1", "str:-1"), run("modf").calls);
    }

    @Test
    void eventCallbackGetsTheEventName() {
        TestContext ctx = new TestContext();
        script.onEvent("tm:local-request", ctx);
        assertEquals(List.of("str:event tm:local-request"), ctx.calls);
    }

    @Test
    void modernEcmaScriptAndLexicalCallbacks() {
        assertEquals(List.of("str:modern 1 bc 3 2"), run("modern").calls);
        assertTrue(script.has(RouteType.FAILURE, "modern"));
    }

    @Test
    void unknownKsrFunctionAbortsTheCallback() {
        assertEquals(List.of(), run("call_missing").calls);
        assertEquals(List.of("str:before"), run("exiting").calls); // still serving
    }

    @Test
    void appJsdtRunCallsGlobalFunctions() {
        assertEquals(List.of("str:exec p", "str:1"), run("call_exec").calls);
    }

    @Test
    void missingCallbacks() {
        assertTrue(script.has(RouteType.REQUEST, null));
        assertFalse(script.has(RouteType.CORE_REPLY, null));
        assertEquals(List.of(), run("no_such_route").calls);
    }

    @Test
    void syntaxErrorFailsWithFileAndLine() {
        Path p = ScriptFiles.write(dir, "bad.js", "function ksr_request_route() {\n  KSR.info('x');\n  let = = 3;\n}\n");
        ScriptException e = assertThrows(ScriptException.class, () -> PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS));
        assertEquals(p.toString(), e.file());
        assertEquals(3, e.line());
    }

    @Test
    void topLevelErrorFailsWithFileAndLine() {
        Path p = ScriptFiles.write(dir, "throws.js", "var a = 1;\nfunction f() { throw new Error('top'); }\nf();\n");
        ScriptException e = assertThrows(ScriptException.class, () -> PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS));
        assertEquals(p.toString(), e.file());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("top"), e.getMessage());
    }

    /**
     * app_jsdt's require() as observed on Kamailio 5.6.3 with the same files: ids relative to the
     * requiring file (bare or ./), ".js" appended, one cached module per resolved path, __dirname
     * undefined, "this" the global object, a failing module dropped from the cache, errors with the
     * module's own file:line.
     */
    @Test
    void requireLoadsModulesAsAppJsdt() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("lib"));
        ScriptFiles.write(dir, "helper.js", "#!shebang line\nexports.name = 'helper:' + (typeof __dirname) + ':' + __filename"
                + " + ':' + module.id + ':' + (this === exports) + ':' + module.loaded;\n"
                + "exports.boom = function () {\n  throw new Error('boom in helper');\n};\n");
        ScriptFiles.write(dir, "lib/util.js", "var inner = require('inner');\n"
                + "module.exports = { twice: function (x) { return 2 * x; }, inner: inner.v };\n");
        ScriptFiles.write(dir, "lib/inner.js", "exports.v = 'lib-inner';\n");
        ScriptFiles.write(dir, "inner.js", "exports.v = 'top-inner';\n");
        ScriptFiles.write(dir, "bad.js", "exports.a = 1;\nundefinedFunction();\n");
        Path main = ScriptFiles.write(dir, "main.js", """
                var h = require('helper');
                var out = 'same=' + (h === require('./helper.js')) + ' util=' + require('lib/util').twice(21)
                    + ' inner=' + require('lib/util').inner + ' main=' + typeof require.main
                    + ' keys=' + Object.keys(require.cache).length + ' abs=' + require('%s/inner').v
                    + ' dotdot=' + require('lib/../inner.js').v;
                try { require('nosuch'); } catch (e) { out += ' nosuch=' + e + '|' + (e instanceof Error); }
                try { require('bad'); } catch (e) { out += ' bad=' + e.name + ' cached=' + (require.cache['%s'] !== undefined); }
                function ksr_request_route() { KSR.rec.str(h.name); KSR.rec.str(out); h.boom(); }
                """.formatted(dir.toRealPath(), dir.toRealPath().resolve("bad.js")));
        try (JsScript s = PolyglotScripts.js(main, TestModules.table(), TestModules.OPTIONS)) {
            TestContext ctx = new TestContext();
            s.onRequest(ctx);
            String helper = dir.toRealPath().resolve("helper.js").toString();
            assertEquals(List.of("str:helper:undefined:" + helper + ":" + helper + ":false:false",
                    "str:same=true util=42 inner=lib-inner main=undefined keys=3 abs=top-inner dotdot=top-inner"
                            + " nosuch=Error: Could not resolve module 'nosuch'|true bad=ReferenceError cached=false"), ctx.calls);
        }
    }

    @Test
    void requiredModulesKeepTheirFileAndLineInStacks() throws Exception {
        ScriptFiles.write(dir, "helper.js", "exports.boom = function () {\n  throw new Error('boom in helper');\n};\n");
        Path main = ScriptFiles.write(dir, "main.js", "var h = require('helper');\n"
                + "function ksr_request_route() {\n  try { h.boom(); } catch (e) { KSR.rec.str(e.stack.split('\\n')[1].trim()); }\n}\n");
        try (JsScript s = PolyglotScripts.js(main, TestModules.table(), TestModules.OPTIONS)) {
            TestContext ctx = new TestContext();
            s.onRequest(ctx);
            assertEquals(1, ctx.calls.size());
            assertTrue(ctx.calls.get(0).contains(dir.toRealPath().resolve("helper.js") + ":2:"), ctx.calls.get(0));
        }
    }

    @Test
    void requireIsAbsentInMode0() {
        Path main = ScriptFiles.write(dir, "main.js", "function ksr_request_route() { KSR.rec.str(typeof require); }\n");
        AppJsdtModule jsdt = new AppJsdtModule();
        jsdt.mode(0);
        try (JsScript s = PolyglotScripts.js(main, dev.kemi.api.FunctionTable.build(List.of(new TestModules.Rec(), jsdt)), TestModules.OPTIONS)) {
            TestContext ctx = new TestContext();
            s.onRequest(ctx);
            assertEquals(List.of("str:undefined"), ctx.calls);
        }
    }

    /** What the error log of a failing callback is made of: the throwing line and the stack. */
    @Test
    void callbackErrorsAreLocatedWithTraceback() {
        Path p = ScriptFiles.write(dir, "err.js", "function boom() {\n  helper();\n}\nfunction helper() {\n  throw new Error('boom');\n}\n");
        try (JsScript s = PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS)) {
            Worker w = s.worker();
            org.graalvm.polyglot.PolyglotException e = assertThrows(org.graalvm.polyglot.PolyglotException.class,
                    () -> w.call.execute("boom"));
            assertEquals(p + ":5", ScriptErrors.locate(e, "fallback.js").toString());
            String tb = ScriptErrors.traceback(e);
            assertTrue(tb.contains("boom") && tb.contains("at helper (" + p + ":5)\n  at boom (" + p + ":2)"), tb);
        }
    }

    @Test
    void scriptsLargerThan200KiBLoadWhole() {
        StringBuilder b = new StringBuilder("function ksr_request_route() { KSR.rec.str(String(filler.length) + last()); }\nconst filler = [\n");
        int n = 0;
        while (b.length() < 210 * 1024) b.append("  \"").append("x".repeat(60)).append(n++).append("\",\n");
        b.append("];\nfunction last() { return ' end'; }\n");
        Path p = ScriptFiles.write(dir, "big.js", b.toString());
        try (JsScript big = PolyglotScripts.js(p, TestModules.table(), TestModules.OPTIONS)) {
            TestContext ctx = new TestContext();
            big.onRequest(ctx);
            assertEquals(List.of("str:" + n + " end"), ctx.calls);
        }
    }
}
