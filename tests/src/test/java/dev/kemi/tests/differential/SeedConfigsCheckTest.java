package dev.kemi.tests.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.tests.KemiCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's configs (scripts/bridge.cfg, scripts/seed-python.cfg + seed.py) pass `kemi check`. */
class SeedConfigsCheckTest {
    @ParameterizedTest
    @ValueSource(strings = {"bridge.cfg", "seed-python.cfg"})
    void passesCheck(String name) {
        Path cfg = Path.of(System.getProperty("kemi.root", ".."), "scripts", name);
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("config ok", r.out().strip(), r.err());
    }

    /** The seed's Python as written (a quote opened with ' closed with ") is caught by the check. */
    @Test
    void seedPythonTypoFailsCheck(@TempDir Path dir) throws IOException {
        Path scripts = Path.of(System.getProperty("kemi.root", ".."), "scripts");
        Files.copy(scripts.resolve("seed-python.cfg"), dir.resolve("seed-python.cfg"));
        Files.writeString(dir.resolve("seed.py"), Files.readString(scripts.resolve("seed.py"))
                .replace("ksr_info(\"From python mod init\")", "ksr_info('From python mod init\")"));
        KemiCli.Result r = KemiCli.run("check", "-f", dir.resolve("seed-python.cfg").toString());
        assertEquals(1, r.exitCode(), r.out());
    }
}
