package dev.kemi.tests.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.IsolatedJvm;
import dev.kemi.tests.KemiCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `kemi compare` over the shipped logics: each native/Python/JavaScript trio in scripts/ sends the
 * same messages in every scenario of the corpus (the bridge trio in the bridge scenarios, each run
 * starting and stopping its built-in media relay on the fixed control port), and a deliberately
 * divergent pair (a Python port with two classic pitfalls left in) is reported with the script
 * line that causes each divergence.
 */
class ShippedLogicsCompareTest {
    private static final Path ROOT = Path.of(System.getProperty("kemi.root", "..")).toAbsolutePath().normalize();
    private static final Path SCRIPTS = ROOT.resolve("scripts");
    private static final String CORPUS = SCRIPTS.resolve("scenarios").toString();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "failover", "seed"})
    void shippedTrioIsIdentical(String logic) {
        // among themselves here; the default logic is judged by real Kamailio below, the failover logic in its own test
        KemiCli.Result r = KemiCli.run("compare", "--oracle", "none", "--scenarios", CORPUS, SCRIPTS.resolve(logic + ".cfg").toString(),
                SCRIPTS.resolve(logic + "-python.cfg").toString(), SCRIPTS.resolve(logic + "-js.cfg").toString());
        // the three languages never differ; a scenario a logic cannot play to its end (failover.yaml
        // without a failure_route, a CANCEL after the logic's own fr_inv_timer) is not exercised (exit 2)
        assertTrue(r.exitCode() == 0 || r.exitCode() == 2, r.out() + r.err());
        assertTrue(r.out().contains(", 0 different, "), r.out());
        // the seed's request_route only logs: no call can complete, and that is not "identical"
        assertTrue(r.out().contains(logic.equals("seed") ? "basic-call: not exercised" : "basic-call: identical"), r.out());
    }

    /**
     * Every corpus scenario the default logic plays to its end agrees with Kamailio 5.6.3 running
     * the same cfg, in each language (failover.yaml needs a failure_route: see the failover logic's
     * test). The oracle plays in real time (no-answer-408 waits for the 120 s fr_inv_timer) and the
     * three cfgs listen on one address, so each flavour runs in a network namespace of its own,
     * the three at once.
     */
    @Test
    void defaultTrioAgreesWithKamailio(@TempDir Path dir) throws Exception {
        List<String> flavours = List.of("default.cfg", "default-python.cfg", "default-js.cfg");
        List<Process> runs = new ArrayList<>();
        try {
            for (String cfg : flavours) {
                runs.add(IsolatedJvm.start("768m", dir.resolve(cfg + ".out"), "dev.kemi.runtime.cli.Main",
                        List.of("compare", "--oracle", "kamailio", "--scenarios", CORPUS, SCRIPTS.resolve(cfg).toString())));
            }
            for (int i = 0; i < flavours.size(); i++) {
                assertTrue(runs.get(i).waitFor(15, TimeUnit.MINUTES), flavours.get(i) + ": still running after 15 minutes");
                String out = Files.readString(dir.resolve(flavours.get(i) + ".out"));
                assertEquals(2, runs.get(i).exitValue(), flavours.get(i) + ":\n" + out); // 2: failover.yaml is not exercised
                assertTrue(out.contains("14 played to their end, 1 not exercised; Kamailio as oracle: 14 agree, 0 differ, 1 not exercised"),
                        flavours.get(i) + ":\n" + out);
            }
        } finally {
            for (Process p : runs) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
        }
    }

    @Test
    void failoverTrioAgreesWithKamailio() {
        KemiCli.Result r = KemiCli.run("compare", "--oracle", "kamailio", "--scenarios", CORPUS, "--only", "failover", "--only", "busy",
                SCRIPTS.resolve("failover.cfg").toString(), SCRIPTS.resolve("failover-python.cfg").toString(),
                SCRIPTS.resolve("failover-js.cfg").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("2 identical, 0 different, 0 not exercised; Kamailio as oracle: 6 agree, 0 differ, 0 not exercised"), r.out());
    }

    @Test
    void bridgeTrioIsIdentical() {
        // the bridge's built-in media relay is ours: Kamailio cannot run these cfgs
        KemiCli.Result r = KemiCli.run("compare", "--oracle", "none", "--scenarios", SCRIPTS.resolve("scenarios").resolve("bridge").toString(),
                SCRIPTS.resolve("bridge.cfg").toString(), SCRIPTS.resolve("bridge-python.cfg").toString(),
                SCRIPTS.resolve("bridge-js.cfg").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        for (String scenario : new String[] {"bridge-call", "bridge-cancel", "bridge-hold"}) {
            assertTrue(r.out().contains(scenario + ": identical\n"), r.out());
        }
        assertTrue(r.out().contains("3 identical, 0 different, 0 not exercised"), r.out());
    }

    @Test
    void divergentPortIsExplained() {
        Path dir = SCRIPTS.resolve("scenarios").resolve("kamailio");
        KemiCli.Result r = KemiCli.run("compare", "--oracle", "none", "--scenarios", CORPUS, "--only", "options-proxy", "--only",
                "retransmission-loss", "--only", "basic-call", dir.resolve("native.cfg").toString(),
                dir.resolve("python.cfg").toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("basic-call: identical"), r.out());
        assertTrue(r.out().matches("(?s).*t_check_trans\\(\\)` returned 0 at route\\.py:\\d+: native cfg exits here, KEMI goes on.*"),
                r.out());
        assertTrue(r.out().matches("(?s).*uri==myself` at native\\.cfg:\\d+.*is_myself_ruri\\(\\)` at route\\.py:\\d+.*"), r.out());
    }
}
