package dev.kemi.engine.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.RouteType;
import java.nio.file.Path;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** modparam sandbox of app_python3 / app_jsdt, and what script errors may show. */
class ScriptSandboxTest {
    @TempDir
    Path dir;

    private static TestContext run(PolyglotScript s, String callback) {
        TestContext ctx = new TestContext();
        s.onNamedRoute(RouteType.FAILURE, callback, ctx);
        return ctx;
    }

    @Test
    void parsesTheDeniedList() {
        assertEquals(ScriptSandbox.NONE, ScriptSandbox.parse(""));
        assertTrue(ScriptSandbox.parse("io, process").denies(ScriptSandbox.Denied.PROCESS));
        assertFalse(ScriptSandbox.parse("io, process").denies(ScriptSandbox.Denied.NATIVE));
        assertEquals(ScriptSandbox.parse("io,native,process"), ScriptSandbox.parse("all"));
        assertThrows(IllegalArgumentException.class, () -> ScriptSandbox.parse("io,network"));
    }

    @Test
    void pythonDeniedIoNativeAndProcesses() {
        Path secret = ScriptFiles.write(dir, "secret.txt", "top secret\n");
        Path py = ScriptFiles.write(dir, "sandboxed.py", """
                import KSR
                def attempt(what, f):
                    try:
                        f()
                        KSR.info(what + ":allowed")
                    except BaseException as e:
                        KSR.info(what + ":denied")
                def read():
                    open(%s).read()
                def native():
                    import ctypes
                    ctypes.CDLL(None)
                def process():
                    import subprocess
                    subprocess.run(["/bin/true"])
                class H:
                    def child_init(self, rank):
                        return 0
                    def ksr_request_route(self, msg):
                        return 1
                    def probe(self, msg):
                        attempt("io", read)
                        attempt("native", native)
                        attempt("process", process)
                        return 1
                def mod_init():
                    return H()
                """.formatted("'" + secret + "'"));
        PythonScript open = new PythonScript(py, TestModules.table(), TestModules.OPTIONS, ScriptSandbox.NONE);
        PythonScript closed = new PythonScript(py, TestModules.table(), TestModules.OPTIONS, ScriptSandbox.parse("all"));
        try {
            open.start();
            closed.start();
            assertEquals(List.of("info:io:allowed"), run(open, "probe").calls.subList(0, 1), "CPython's access by default");
            assertEquals(List.of("info:io:denied", "info:native:denied", "info:process:denied"), run(closed, "probe").calls);
        } finally {
            open.close();
            closed.close();
        }
    }

    @Test
    void jsDeniedIo() {
        Path secret = ScriptFiles.write(dir, "secret.js", "var x = 1;\n");
        Path js = ScriptFiles.write(dir, "sandboxed.js", """
                function ksr_request_route() {}
                function probe() {
                    try { load(%s); KSR.info("io:allowed"); } catch (e) { KSR.info("io:denied"); }
                }
                """.formatted("'" + secret + "'"));
        JsScript open = new JsScript(js, TestModules.table(), TestModules.OPTIONS, false, ScriptSandbox.NONE);
        JsScript closed = new JsScript(js, TestModules.table(), TestModules.OPTIONS, false, ScriptSandbox.parse("io"));
        try {
            open.start();
            closed.start();
            assertEquals(List.of("info:io:allowed"), run(open, "probe").calls);
            assertEquals(List.of("info:io:denied"), run(closed, "probe").calls);
        } finally {
            open.close();
            closed.close();
        }
    }

    @Test
    void aSyntaxErrorReportDoesNotQuoteTheLoadedFile() {
        Path passwd = ScriptFiles.write(dir, "passwd", "root:x:0:0:root:/root:/bin/bash\n");
        try (Context c = Context.newBuilder("js").engine(SharedEngine.get())
                .allowIO(org.graalvm.polyglot.io.IOAccess.ALL).build()) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> c.eval("js", "load('" + passwd + "')"));
            assertTrue(String.valueOf(e.getMessage()).contains("/bin/bash"), "GraalJS quotes the line: " + e.getMessage());
            String report = ScriptErrors.traceback(e);
            assertFalse(report.contains("/bin/bash") || report.contains("root:x"), report);
            assertTrue(report.contains("passwd"), "still says where: " + report);
        }
    }
}
