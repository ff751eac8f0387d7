package dev.kemi.engine.lint;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.api.Export;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.Module;
import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KemiLintTest {
    @Module("")
    public static final class Core {
        @Export public void info(ScriptContext c, String s) {}
        @Export public boolean is_CANCEL(ScriptContext c) { return false; }
    }

    @Module("tm")
    public static final class Tm {
        @Export(returns = {1, 0, -1}) public int t_check_trans(ScriptContext c) { return 1; }
        @Export public int t_relay(ScriptContext c) { return 1; }
        @Export public int t_on_failure(ScriptContext c, String name) { return 1; }
    }

    @Module("siputils")
    public static final class SipUtils {
        @Export(returns = {1, -1}) public int has_totag(ScriptContext c) { return 1; }
    }

    @Module("hdr")
    public static final class Hdr {
        @Export public int append(ScriptContext c, String h) { return 1; }
    }

    @Module("sl")
    public static final class Sl {
        @Export public int sl_send_reply(ScriptContext c, int code, String reason) { return 1; }
    }

    static final FunctionTable TABLE = FunctionTable.build(List.of(new Core(), new Tm(), new SipUtils(), new Hdr(), new Sl()));

    @TempDir Path dir;

    List<String> lint(String name, String src) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, src);
        return new KemiLint(TABLE, "ksr_onsend_route", "ksr_reply_route").lint(f).stream()
                .map(l -> l.line() + ":" + l.severity() + ":" + l.message()).toList();
    }

    static void assertHas(List<String> findings, String lineAndText) {
        assertTrue(findings.stream().anyMatch(f -> f.startsWith(lineAndText.substring(0, lineAndText.indexOf(':') + 1))
                && f.contains(lineAndText.substring(lineAndText.indexOf(':') + 1))), () -> "missing " + lineAndText + " in " + findings);
    }

    @Test
    void pythonPitfalls() throws Exception {
        List<String> f = lint("route.py", """
                import KSR as KSR
                def mod_init():
                    return H()
                class H:
                    def ksr_request_route(self, msg):
                        if not KSR.siputils.has_totag():
                            KSR.hdr.append_hf("X: y\\r\\n")
                        KSR.tm.t_check_trans()
                        KSR.sl.sl_send_reply("404", "Not here")
                        KSR.tm.t_on_failure("ksr_failure")
                        KSR.x.exit()
                        if KSR.tm.t_relay() < 0:  # compared: fine
                            return 1
                        KSR.tm.t_check_trans()
                        return 1
                    def ksr_reply_route(self, msg):
                        return 1
                """);
        assertHas(f, "6:returns an int used as a boolean");
        assertHas(f, "7:KSR.hdr.append_hf() does not exist (did you mean KSR.hdr.append?)");
        assertHas(f, "8:may return 0");
        assertHas(f, "9:argument 1 must be an int");
        assertHas(f, "10:callback 'ksr_failure'");
        assertHas(f, "11:KSR.x.exit() does not exist in Python");
        assertHas(f, "1:no ksr_onsend_route");
        assertTrue(f.stream().noneMatch(s -> s.startsWith("12:") || s.startsWith("14:")), f::toString);
        assertTrue(f.stream().noneMatch(s -> s.contains("no ksr_reply_route")), f::toString);
    }

    @Test
    void javascriptPitfalls() throws Exception {
        List<String> f = lint("route.js", """
                // KSR.tm.t_relay(1) in a comment is not a call
                function ksr_request_route() {
                    if (!KSR.siputils.has_totag()) { KSR.info("x"); }
                    KSR.sl.sl_send_reply("404", "Not here");
                    KSR.tm.t_relay(1);
                    KSR.sl.sl_send_reply(404);
                    var s = "KSR.nope()";
                    if (KSR.tm.t_check_trans() == 0) { KSR.x.exit(); }
                    KSR.tm.t_on_failure("ksr_failure"); // kemi-lint: ignore
                }
                """);
        assertHas(f, "3:returns an int used as a boolean");
        assertHas(f, "4:argument 1 is converted to an int");
        assertHas(f, "5:the call returns false without running");
        assertHas(f, "6:RangeError");
        assertTrue(f.stream().noneMatch(s -> s.startsWith("1:") || s.startsWith("7:") || s.startsWith("8:") || s.startsWith("9:")), f::toString);
    }

    @Test
    void cleanScriptsHaveNoFindings() throws Exception {
        assertEquals(List.of(), lint("ok.js", """
                function ksr_request_route() {
                    if (KSR.is_CANCEL()) {
                        if (KSR.tm.t_check_trans() > 0) { KSR.tm.t_relay(); }
                        return;
                    }
                    if (KSR.tm.t_check_trans() == 0) { return; }
                    KSR.tm.t_on_failure("ksr_failure");
                    KSR.tm.t_relay();
                }
                function ksr_failure() {}
                """));
    }
}
