package dev.kemi.runtime.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The kamcmd side: sends one JSON-RPC command and returns the parsed response object. */
public final class RpcClient {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI uri;

    public RpcClient(String hostPort) {
        this.uri = URI.create("http://" + hostPort + "/RPC");
    }

    /** Params that look like integers are sent as numbers, as kamcmd does. */
    public JsonNode call(String method, List<String> params) throws IOException, InterruptedException {
        ObjectNode req = json.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("method", method);
        ArrayNode ps = req.putArray("params");
        for (String p : params) {
            if (p.matches("-?\\d{1,9}")) ps.add(Integer.parseInt(p));
            else ps.add(p);
        }
        req.put("id", 1);
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(req.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(resp.body());
    }
}
