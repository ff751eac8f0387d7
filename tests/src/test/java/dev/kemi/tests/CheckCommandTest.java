package dev.kemi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kemi check`: "config ok" and exit 0, or "file:line: reason" and exit 1. */
class CheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void goodConfig() throws IOException {
        Path cfg = Files.writeString(dir.resolve("ok.cfg"), "listen=udp:127.0.0.1:5060\nlisten=tcp:127.0.0.1:5060\n");
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("config ok", r.out().strip());
    }

    @Test
    void coreKemiFunctionsOfModulesNeedTheModuleInNativeCfg() throws IOException {
        // KSR.is_method / KSR.setbflag are core in KEMI; natively they are textops' and kex's
        String body = "request_route {\n    if (is_method(\"INVITE\")) setbflag(1);\n}\n";
        Path bare = Files.writeString(dir.resolve("bare.cfg"), "listen=udp:127.0.0.1:5060\n" + body);
        KemiCli.Result r = KemiCli.run("check", "-f", bare.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(bare + ":3:") && r.err().contains("unknown command 'is_method', missing loadmodule?"), r.err());
        Path loaded = Files.writeString(dir.resolve("loaded.cfg"),
                "listen=udp:127.0.0.1:5060\nloadmodule \"textops.so\"\nloadmodule \"kex.so\"\n" + body);
        KemiCli.Result ok = KemiCli.run("check", "-f", loaded.toString());
        assertEquals(0, ok.exitCode(), ok.err());
    }

    @Test
    void shippedDefaultConfig() {
        Path cfg = Path.of(System.getProperty("kemi.root", ".."), "scripts", "default.cfg");
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void shippedKemiVersionsLintClean() {
        for (String name : new String[] {"default-python.cfg", "default-js.cfg"}) {
            Path cfg = Path.of(System.getProperty("kemi.root", ".."), "scripts", name);
            KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("config ok", r.out().strip());
            assertTrue(!r.err().contains("warning:") && !r.err().contains("error:"), r.err());
        }
    }

    @Test
    void kemiPitfallsAreReportedWithFileAndLine() throws IOException {
        Files.writeString(dir.resolve("route.js"), """
                function ksr_request_route() {
                    if (!KSR.siputils.has_totag()) {
                        KSR.hdr.append_hf("X-A: 1\\r\\n");
                    }
                    KSR.tm.t_relay();
                }
                """);
        Path cfg = Files.writeString(dir.resolve("js.cfg"), """
                listen=udp:127.0.0.1:5060
                loadmodule "tm.so"
                loadmodule "siputils.so"
                loadmodule "app_jsdt.so"
                modparam("app_jsdt", "load", "%s")
                cfgengine "jsdt"
                """.formatted(dir.resolve("route.js")));
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        assertEquals(1, r.exitCode(), r.err());
        String js = dir.resolve("route.js").toString();
        assertTrue(r.err().contains(js + ":2:10: warning: KSR.siputils.has_totag() returns an int used as a boolean"), r.err());
        assertTrue(r.err().contains(js + ":3:9: error: KSR.hdr.append_hf() does not exist (did you mean KSR.hdr.append?)"), r.err());
    }

    @Test
    void literalPvNamesOfKsrPvAreCheckedWithFileLineAndColumn() throws IOException {
        Files.writeString(dir.resolve("pvs.py"), """
                import KSR as KSR
                def mod_init():
                    return H()
                class H:
                    def child_init(self, rank):
                        return 0
                    def ksr_request_route(self, msg):
                        u = KSR.pv.get("$ru")
                        v = KSR.pv.get("$sht(a=>b)")
                        KSR.pv.sets("$ci", "x")
                        KSR.pv.sets("$var(x)", "y")
                        KSR.pv.is_null("$nope")
                        return 1
                    def ksr_reply_route(self, msg):
                        return 1
                    def ksr_onsend_route(self, msg):
                        return 1
                """);
        Path cfg = Files.writeString(dir.resolve("py.cfg"), """
                listen=udp:127.0.12.1:5060
                loadmodule "app_python3.so"
                modparam("app_python3", "load", "%s")
                cfgengine "python"
                """.formatted(dir.resolve("pvs.py")));
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        assertEquals(1, r.exitCode(), r.err());
        String py = dir.resolve("pvs.py").toString();
        assertTrue(r.err().contains(py + ":9:24: error: KSR.pv.get(): invalid pseudo-variable \"$sht(a=>b)\""), r.err());
        assertTrue(r.err().contains(py + ":10:21: error: KSR.pv.sets(): \"$ci\" is read-only"), r.err());
        assertTrue(r.err().contains(py + ":12:24: error: KSR.pv.is_null(): invalid pseudo-variable \"$nope\""), r.err());
        assertTrue(!r.err().contains(":8:") && !r.err().contains(":11:"), r.err());
    }

    @Test
    void brokenConfigNamesFileAndLine() throws IOException {
        Path cfg = Files.writeString(dir.resolve("bad.cfg"), "# comment\nlisten=udp:127.0.0.1:5060\nlisten=udp:127.0.0.1:99999\n");
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith(cfg + ":3:"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingFile() {
        KemiCli.Result r = KemiCli.run("check", "-f", dir.resolve("none.cfg").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("none.cfg"), r.err());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[] {"run", "check", "version", "compare", "rtpproxy", "rpc", "reload"}) {
            KemiCli.Result r = KemiCli.run(sub, "--help");
            assertEquals(0, r.exitCode(), sub);
            assertTrue(r.out().startsWith("Usage: kemi " + sub), r.out());
        }
        assertEquals(2, KemiCli.run("frobnicate").exitCode());
    }
}
