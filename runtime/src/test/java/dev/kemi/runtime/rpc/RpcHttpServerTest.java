package dev.kemi.runtime.rpc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RpcHttpServerTest {
    static RpcHttpServer server;
    static RpcClient client;

    @BeforeAll
    static void start() throws Exception {
        RpcRegistry reg = new RpcRegistry();
        reg.register("test.echo", p -> Map.of("params", p));
        reg.register("test.fail", p -> { throw new RpcException(500, "Reload not enabled"); });
        server = new RpcHttpServer(reg).start(new InetSocketAddress("127.0.0.1", 0));
        client = new RpcClient("127.0.0.1:" + server.address().getPort());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void callsAMethodWithOrderedParams() throws Exception {
        JsonNode r = client.call("test.echo", List.of("a", "42"));
        assertEquals("2.0", r.get("jsonrpc").asText());
        assertEquals(1, r.get("id").asInt());
        assertEquals("a", r.at("/result/params/0").asText());
        assertEquals(42, r.at("/result/params/1").asInt());
    }

    @Test
    void faultsAreJsonRpcErrors() throws Exception {
        JsonNode r = client.call("test.fail", List.of());
        assertEquals(500, r.at("/error/code").asInt());
        assertEquals("Reload not enabled", r.at("/error/message").asText());
        assertEquals("command nope.x not found", client.call("nope.x", List.of()).at("/error/message").asText());
    }

    @Test
    void listsMethods() throws Exception {
        JsonNode r = client.call("system.listMethods", List.of());
        assertTrue(r.get("result").toString().contains("test.echo"));
    }

    @Test
    void badJsonIsAParseError() {
        assertTrue(new JsonRpcDispatcher(new RpcRegistry()).dispatch("{nope").contains("-32700"));
    }
}
