package dev.kemi.runtime.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON-RPC 2.0 request text in, response text out, with jsonrpcs' error shapes. */
public final class JsonRpcDispatcher {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcDispatcher.class);
    private final ObjectMapper json = new ObjectMapper();
    private final RpcRegistry registry;

    public JsonRpcDispatcher(RpcRegistry registry) {
        this.registry = registry;
    }

    public String dispatch(String requestText) {
        ObjectNode out = json.createObjectNode();
        out.put("jsonrpc", "2.0");
        JsonNode req;
        try {
            req = json.readTree(requestText);
        } catch (JsonProcessingException e) {
            return error(out, -32700, "Parse error");
        }
        if (req == null || !req.isObject() || !req.path("method").isTextual()) {
            return error(out, -32600, "Invalid Request");
        }
        out.set("id", req.get("id") == null ? json.nullNode() : req.get("id"));
        List<Object> params = new ArrayList<>();
        JsonNode p = req.get("params");
        if (p != null && p.isArray()) {
            for (JsonNode n : p) params.add(json.convertValue(n, Object.class));
        } else if (p != null && p.isObject()) {
            for (Iterator<JsonNode> it = p.elements(); it.hasNext(); ) params.add(json.convertValue(it.next(), Object.class));
        }
        try {
            out.set("result", json.valueToTree(registry.call(req.get("method").asText(), params)));
        } catch (RpcException e) {
            return error(out, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("RPC {} failed", req.get("method").asText(), e);
            return error(out, 500, "Internal error: " + e.getMessage());
        }
        return out.toString();
    }

    private String error(ObjectNode out, int code, String message) {
        ObjectNode err = out.putObject("error");
        err.put("code", code);
        err.put("message", message);
        if (!out.has("id")) out.putNull("id");
        return out.toString();
    }
}
