package dev.kemi.tests.stockcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.modules.StandardModules;
import dev.kemi.tests.KemiCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kemi check` on Debian's stock /etc/kamailio/kamailio.cfg, byte for byte, once plain and once
 * per WITH_* define it tests (with the defines that define is nested in): it loads, or it fails
 * at exactly the first line that needs something of {@link NotYetAvailable}, naming it. A define
 * whose lines use DBURL without WITH_MYSQL gets a kamailio-local.cfg pointing DBURL at SQLite.
 */
class StockConfigDefinesTest {
    @TempDir
    static Path dir;
    private static StockConfig stock;

    @BeforeAll
    static void readStockFile() throws IOException {
        assertTrue(Files.isRegularFile(StockConfig.FILE), "Debian's kamailio package is not installed: " + StockConfig.FILE);
        stock = new StockConfig();
    }

    @Test
    void notYetAvailableModulesAreReallyMissing() {
        StandardModules catalog = new StandardModules();
        for (String m : NotYetAvailable.MODULES) {
            assertTrue(catalog.create(m).isEmpty(), m + " is loadable now: remove it from NotYetAvailable.MODULES");
        }
    }

    @Test
    void definesAreFoundInTheFile() {
        Map<String, Set<String>> defs = stock.withDefines();
        assertTrue(defs.size() >= 20, "WITH_* defines found: " + defs.keySet());
        assertEquals(Set.of("WITH_AUTH", "WITH_IPAUTH"), defs.get("WITH_IPAUTH"));
    }

    @TestFactory
    Stream<DynamicTest> eachDefineLoadsOrNamesWhatIsMissing() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("no define", () -> check("plain", Set.of())));
        stock.withDefines().forEach((name, set) -> tests.add(DynamicTest.dynamicTest(name + " " + new TreeSet<>(set),
                () -> check(name, set))));
        return tests.stream();
    }

    private static void check(String label, Set<String> defines) throws IOException {
        Path d = Files.createDirectories(dir.resolve(label));
        Path cfg = Files.copy(StockConfig.FILE, d.resolve("kamailio.cfg"));
        assertArrayEquals(Files.readAllBytes(StockConfig.FILE), Files.readAllBytes(cfg));
        StockConfig.Active active = stock.active(defines);
        List<StockConfig.Item> items = new ArrayList<>(active.items());
        if (active.usesDbUrl()) {
            Path db = d.resolve("kamailio.sqlite");
            Files.writeString(d.resolve("kamailio-local.cfg"),
                    "#!define DBURL \"sqlite://" + db + "\"\nloadmodule \"db_sqlite.so\"\n");
            items.addFirst(new StockConfig.Item(1, "db_sqlite", null));
        }
        StockConfig.Item blocker = null;
        for (StockConfig.Item it : items) {
            boolean missing = it.param() == null ? NotYetAvailable.MODULES.contains(it.module())
                    : NotYetAvailable.PARAMS.contains(it.module() + ":" + it.param());
            if (missing) {
                blocker = it;
                break;
            }
        }
        List<String> args = new ArrayList<>(List.of("check", "-f", cfg.toString()));
        for (String def : new TreeSet<>(defines)) {
            args.add("-A");
            args.add(def);
        }
        KemiCli.Result r = KemiCli.run(args.toArray(String[]::new));
        if (blocker == null) {
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("config ok", r.out().strip());
            return;
        }
        assertEquals(1, r.exitCode(), "expected to stop at " + blocker + ": " + r.out());
        String err = r.err().strip();
        Path where = blocker.line() == 1 && blocker.module().equals("db_sqlite") && active.usesDbUrl()
                ? d.resolve("kamailio-local.cfg") : cfg;
        int line = where.equals(cfg) ? blocker.line() : 2;
        assertTrue(err.startsWith(where + ":" + line + ":"), "expected to stop at " + where + ":" + line + " for " + blocker + ", got: " + err);
        if (blocker.param() == null) {
            assertTrue(err.contains("could not find module <" + blocker.module() + ">"), err);
        } else {
            assertTrue(err.contains(blocker.module()) && err.contains(blocker.param()), err);
        }
        assertFalse(err.contains("\n"), "one error line: " + err);
    }
}
