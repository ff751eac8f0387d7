package dev.kemi.tests.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kemi.tests.KemiCli;
import dev.kemi.tests.ProxyUnderTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RPC commands of a proxy running a Python script, over HTTP, and `kemi rpc` / `kemi reload` against it. */
class RpcMethodsTest {
    private static final List<String> TM_STATS_KEYS = List.of("current", "waiting", "total", "total_local", "rpl_received",
            "rpl_generated", "rpl_sent", "6xx", "5xx", "4xx", "3xx", "2xx", "created", "freed", "delayed_free");
    private static ReloadableProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = ReloadableProxy.start("python", ProxyUnderTest.freePort());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
    }

    private static JsonNode result(String method, String... params) throws Exception {
        JsonNode r = proxy.rpc(method, params);
        assertEquals("2.0", r.path("jsonrpc").asText(), r.toString());
        assertTrue(r.has("result"), r.toString());
        return r.get("result");
    }

    @Test
    void coreVersionNamesKemi() throws Exception {
        JsonNode v = result("core.version");
        assertTrue(v.isTextual() && v.asText().startsWith("kemi 0.1.0 ("), v.toString());
    }

    @Test
    void coreUptimeAsKamailio() throws Exception {
        JsonNode u = result("core.uptime");
        assertEquals(List.of("now", "up_since", "uptime"), fields(u));
        assertTrue(u.get("now").asText().matches("\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}"), u.toString());
        assertTrue(u.get("uptime").isIntegralNumber() && u.get("uptime").asInt() >= 0, u.toString());
    }

    @Test
    void corePsxListsTheWorkers() throws Exception {
        JsonNode ps = result("core.psx");
        assertTrue(ps.isArray(), ps.toString());
        List<String> dsc = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            assertEquals(List.of("IDX", "PID", "DSC"), fields(ps.get(i)));
            assertEquals(i, ps.get(i).get("IDX").asInt());
            assertTrue(ps.get(i).get("PID").asLong() > 0, ps.toString());
            dsc.add(ps.get(i).get("DSC").asText());
        }
        assertEquals("main process - attendant", dsc.get(0));
        assertTrue(dsc.contains("sip worker child=0") && dsc.contains("sip worker child=1"), dsc.toString());
        assertTrue(dsc.stream().anyMatch(d -> d.startsWith("udp receiver")), dsc.toString());
    }

    @Test
    void tmStatsHasKamailiosFields() throws Exception {
        JsonNode s = result("tm.stats");
        assertEquals(TM_STATS_KEYS, fields(s));
        s.forEach(n -> assertTrue(n.isIntegralNumber(), s.toString()));
    }

    @Test
    void apiListDescribesEveryExport() throws Exception {
        JsonNode l = result("app_python.api_list");
        assertEquals(l.get("msize").asInt(), l.get("methods").size());
        boolean relay = false;
        for (JsonNode m : l.get("methods")) {
            JsonNode f = m.get("func");
            assertEquals(List.of("ret", "module", "name", "params"), fields(f));
            relay |= f.get("module").asText().equals("tm") && f.get("name").asText().equals("t_relay");
        }
        assertTrue(relay, "tm.t_relay listed");
    }

    @Test
    void listMethodsHasTheKamailioNames() throws Exception {
        List<String> names = new ArrayList<>();
        result("system.listMethods").forEach(n -> names.add(n.asText()));
        assertTrue(names.containsAll(List.of("core.version", "core.uptime", "core.psx", "tm.stats",
                "app_python.reload", "app_python.api_list")), names.toString());
        assertTrue(!names.contains("app_jsdt.reload"), "app_jsdt is not loaded: " + names);
    }

    @Test
    void unknownMethodIsKamailiosError() throws Exception {
        JsonNode r = proxy.rpc("app_jsdt.reload");
        assertEquals(500, r.path("error").path("code").asInt(), r.toString());
        assertEquals("Method Not Found", r.path("error").path("message").asText()); // jsonrpcs' wording
    }

    /** One test: the reload counter is shared state. */
    @Test
    void reloadSwitchesVersionsAndRejectsBrokenScripts() throws Exception {
        assertEquals("A/a", proxy.probe());
        proxy.install("B");
        JsonNode first = result("app_python.reload");
        int old = first.get("old").asInt();
        assertEquals(old + 1, first.get("new").asInt(), first.toString());
        assertEquals("B/b", proxy.probe());

        proxy.installBroken();
        JsonNode broken = proxy.rpc("app_python.reload");
        assertEquals(500, broken.path("error").path("code").asInt(), broken.toString());
        assertTrue(broken.path("error").path("message").asText().startsWith(proxy.scriptFile() + ":4"), broken.toString());
        assertEquals("B/b", proxy.probe(), "the old script keeps serving");

        proxy.install("A");
        KemiCli.Result cli = KemiCli.run("reload", "--rpc", proxy.rpcAddress());
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode printed = new ObjectMapper().readTree(cli.out());
        assertEquals(old + 1, printed.get("old").asInt(), cli.out());
        assertEquals(old + 2, printed.get("new").asInt(), cli.out());
        assertEquals("A/a", proxy.probe());
    }

    @Test
    void rpcCommandPrintsJsonOrTheError() throws Exception {
        KemiCli.Result ok = KemiCli.run("rpc", "--rpc", proxy.rpcAddress(), "tm.stats");
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals(TM_STATS_KEYS, fields(new ObjectMapper().readTree(ok.out())));

        KemiCli.Result bad = KemiCli.run("rpc", "--rpc", proxy.rpcAddress(), "no.such", "1");
        assertEquals(1, bad.exitCode());
        assertEquals("error: 500 - Method Not Found", bad.err().strip());
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
