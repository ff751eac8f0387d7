package dev.kemi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** `kemi exports`: the function table, and its KEMI part in Kamailio's list format. */
class ExportsCommandTest {
    @Test
    void kemiPartHasKamailiosSignaturesAndNoInventedNames() {
        KemiCli.Result r = KemiCli.run("exports", "--kemi");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("tm.t_relay() -> int"), r.out());
        assertTrue(lines.contains("KSR.dbg(str) -> none"), r.out());
        assertTrue(lines.contains("pvx.xavp_child_seti(str, str, int) -> int"), r.out());
        assertTrue(lines.stream().noneMatch(l -> l.contains("t_relay_to_1") || l.contains("t_relay_host_port")), r.out());
    }

    @Test
    void tableShowsNativeNamesRouteTypesAndReturnCodes() {
        KemiCli.Result r = KemiCli.run("exports");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("sl.sl_send_reply(int, str) -> int\tsl_send_reply/2, sl_reply/2\trequest_route\t1, -1"), r.out());
        assertTrue(lines.contains("tm.t_check_trans() -> int\tt_check_trans/0\trequest_route, onreply_route, branch_route, reply_route\t1, 0, -1"),
                r.out());
        assertTrue(lines.contains("-\tt_relay_to/1\trequest_route, failure_route\t1, -1"), r.out());
        assertTrue(lines.contains("KSR.is_INVITE() -> bool\t-\t-\t-"), r.out());
    }
}
