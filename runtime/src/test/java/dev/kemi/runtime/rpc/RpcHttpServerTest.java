package dev.kemi.runtime.rpc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RpcHttpServerTest {
    static RpcHttpServer server;
    static RpcClient client;
    static RpcHttpServer tokenServer;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        RpcRegistry reg = new RpcRegistry();
        reg.register("test.echo", p -> Map.of("params", p));
        reg.register("test.fail", p -> { throw new RpcException(500, "Reload not enabled"); });
        server = new RpcHttpServer(reg).start(new InetSocketAddress("127.0.16.2", 0));
        client = new RpcClient("127.0.16.2:" + server.address().getPort());
        tokenServer = new RpcHttpServer(reg, "s3cret").start(new InetSocketAddress("127.0.16.2", 0));
    }

    @AfterAll
    static void stop() {
        server.close();
        tokenServer.close();
    }

    private static HttpResponse<String> post(RpcHttpServer s, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.16.2:" + s.address().getPort() + "/RPC"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"system.listMethods\",\"id\":1}"));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyLoopbackAddressesCanBeBound() {
        assertThrows(IllegalArgumentException.class, () -> new RpcHttpServer(new RpcRegistry()).start(new InetSocketAddress("0.0.0.0", 0)));
    }

    @Test
    void browsersAndRebindingHostsAreRefused() throws Exception {
        assertEquals(200, post(server).statusCode());
        assertEquals(403, post(server, "Origin", "http://evil.example").statusCode());
        try (java.net.Socket s = new java.net.Socket("127.0.16.2", server.address().getPort())) {
            s.getOutputStream().write(("POST /RPC HTTP/1.1\r\nHost: evil.example:5071\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine();
            assertEquals("HTTP/1.1 403 Forbidden", status);
        }
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        assertEquals(401, post(tokenServer).statusCode());
        assertEquals(401, post(tokenServer, "Authorization", "Bearer wrong").statusCode());
        assertEquals(200, post(tokenServer, "Authorization", "Bearer s3cret").statusCode());
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
        assertEquals("Method Not Found", client.call("nope.x", List.of()).at("/error/message").asText());
    }

    @Test
    void listsMethods() throws Exception {
        JsonNode r = client.call("system.listMethods", List.of());
        assertTrue(r.get("result").toString().contains("test.echo"));
    }

    @Test
    void badJsonIsAParseError() {
        assertNull(new JsonRpcDispatcher(new RpcRegistry()).dispatch("{nope")); // jsonrpcs answers nothing
    }
}
