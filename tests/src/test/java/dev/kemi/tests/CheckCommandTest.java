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
    void shippedDefaultConfig() {
        Path cfg = Path.of(System.getProperty("kemi.root", ".."), "scripts", "default.cfg");
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
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
        for (String sub : new String[] {"run", "check", "version", "compare", "rtpproxy"}) {
            KemiCli.Result r = KemiCli.run(sub, "--help");
            assertEquals(0, r.exitCode(), sub);
            assertTrue(r.out().startsWith("Usage: kemi " + sub), r.out());
        }
        assertEquals(2, KemiCli.run("frobnicate").exitCode());
    }
}
