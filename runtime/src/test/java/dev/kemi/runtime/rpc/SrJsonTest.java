package dev.kemi.runtime.rpc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what Kamailio 5.6.3's jsonrpcs answered (pretty_format 1). */
class SrJsonTest {
    private final RpcRegistry registry = new RpcRegistry();

    SrJsonTest() {
        registry.register("core.psx", p -> List.of(entry(0, 12083, "main process - attendant"), entry(1, 12085, "timer")));
        registry.register("core.aliases_list", p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("myself_callbacks", "no");
            m.put("aliases", List.of());
            return m;
        });
        registry.register("cfg.set_now_int", p -> null);
        registry.register("core.version", p -> "kamailio 5.6.3 (x86_64/linux) ");
    }

    private static Map<String, Object> entry(int idx, int pid, String dsc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("IDX", idx);
        m.put("PID", pid);
        m.put("DSC", dsc);
        return m;
    }

    private String call(String request) {
        return new JsonRpcDispatcher(registry).handle(request).body();
    }

    @Test
    void aStringResult() {
        assertEquals("{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t\"kamailio 5.6.3 (x86_64/linux) \",\n\t\"id\":\t1\n}",
                call("{\"jsonrpc\":\"2.0\",\"method\":\"core.version\",\"id\":1}"));
    }

    @Test
    void valuesAddedOneByOneAreAnArrayOfObjects() {
        assertEquals("{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t[{\n\t\t\t\"IDX\":\t0,\n\t\t\t\"PID\":\t12083,\n"
                        + "\t\t\t\"DSC\":\t\"main process - attendant\"\n\t\t}, {\n\t\t\t\"IDX\":\t1,\n\t\t\t\"PID\":\t12085,\n"
                        + "\t\t\t\"DSC\":\t\"timer\"\n\t\t}],\n\t\"id\":\t1\n}",
                call("{\"jsonrpc\":\"2.0\",\"method\":\"core.psx\",\"id\":1}"));
    }

    @Test
    void emptyArrayAndEmptyResult() {
        assertEquals("{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t{\n\t\t\"myself_callbacks\":\t\"no\",\n\t\t\"aliases\":\t[]\n\t},\n\t\"id\":\t2\n}",
                call("{\"jsonrpc\":\"2.0\",\"method\":\"core.aliases_list\",\"id\":2}"));
        assertEquals("{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t{\n\t},\n\t\"id\":\t2\n}",
                call("{\"jsonrpc\":\"2.0\",\"method\":\"cfg.set_now_int\",\"params\":[\"core\",\"debug\",2],\"id\":2}"));
    }

    @Test
    void unknownMethodAndMissingVersion() {
        JsonRpcDispatcher.Response r = new JsonRpcDispatcher(registry).handle("{\"jsonrpc\":\"2.0\",\"method\":\"nosuch\",\"id\":1}");
        assertEquals(500, r.httpCode());
        assertEquals("Method Not Found", r.httpReason());
        assertEquals("{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"error\":\t{\n\t\t\"code\":\t500,\n\t\t\"message\":\t\"Method Not Found\"\n\t},\n\t\"id\":\t1\n}",
                r.body());
        assertEquals("{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t{\n\t},\n\t\"id\":\t\"ab\"\n}",
                call("{\"method\":\"core.version\",\"id\":\"ab\"}"));
    }

    @Test
    void notJsonGetsNoAnswerAndCompactFormIsOneLine() {
        assertNull(call("garbage"));
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":[1,\"a\"],\"id\":3}",
                SrJson.print(new SrJson.Obj(List.of(new SrJson.Member("jsonrpc", "2.0"), new SrJson.Member("result", List.of(1, "a")),
                        new SrJson.Member("id", 3))), false));
    }

    @Test
    void numbersAsCPrintsThem() {
        assertEquals("5000000000", SrJson.print(5_000_000_000L, true));
        assertEquals("0.500000", SrJson.print(0.5, true));
        assertEquals("4294967295", SrJson.print(new RpcUnsigned(-1), true), "jsonrpcs prints \"u\" unsigned");
        assertEquals("\"a\\\"b\\n\\u0001\"", SrJson.print("a\"b\n\u0001", true));
    }
}
