package dev.kemi.tests.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.KemiCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own pair in a directory of their own, as the issue tried it: a native cfg and its
 * Python port that differ only in the t_check_trans() rule, relaying to a `$du` where the corpus
 * has nobody. No --scenarios: the shipped corpus is found from the installation; the callee is
 * found wherever the cfg sends; scenarios the cfg cannot run to the end are not called identical.
 */
class UserPairCompareTest {
    private static final String MODULES = """
            listen=udp:127.0.0.1:5060
            children=1
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "rr.so"
            loadmodule "siputils.so"
            """;

    @Test
    void retransmissionDifferenceIsFoundAndNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("native.cfg"), MODULES + """
                request_route {
                    t_check_trans();
                    if (has_totag()) { if (loose_route()) { t_relay(); } exit; }
                    record_route();
                    $du = "sip:127.0.0.2:6020";
                    t_relay();
                }
                """);
        Files.writeString(dir.resolve("python.cfg"), MODULES + """
                loadmodule "app_python3.so"
                modparam("app_python3", "load", "%s")
                cfgengine "python"
                """.formatted(dir.resolve("route.py")));
        Files.writeString(dir.resolve("route.py"), """
                import KSR
                def mod_init():
                    return kamailio()
                class kamailio:
                    def __init__(self):
                        pass
                    def child_init(self, rank):
                        return 0
                    def ksr_request_route(self, msg):
                        KSR.tm.t_check_trans()
                        if KSR.siputils.has_totag() > 0:
                            if KSR.rr.loose_route() > 0:
                                KSR.tm.t_relay()
                            return 1
                        KSR.rr.record_route()
                        KSR.pv.sets("$du", "sip:127.0.0.2:6020")
                        KSR.tm.t_relay()
                        return 1
                """);
        KemiCli.Result r = KemiCli.run("compare", "--oracle", "none", "--only", "basic-call", "--only", "retransmission-loss", "--only", "failover",
                dir.resolve("native.cfg").toString(), dir.resolve("python.cfg").toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("basic-call: identical\n"), "the callee behind $du answers: " + r.out());
        assertTrue(r.out().contains("retransmission-loss: B differs from A"), r.out());
        assertTrue(r.out().matches("(?s).*why \\(zero-return\\): `t_check_trans\\(\\)` returned 0 at route\\.py:10: .*"), r.out());
        assertTrue(r.out().contains("failover: not exercised\n"), "no failure_route: both stop at the 486: " + r.out());
        assertTrue(r.out().contains("1 identical, 1 different, 1 not exercised (exit 1)"), r.out());
    }
}
