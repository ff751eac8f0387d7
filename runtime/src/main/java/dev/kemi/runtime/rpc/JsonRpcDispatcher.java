package dev.kemi.runtime.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kemi.runtime.core.RateLimitedLog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 request text in, response text out, as Kamailio's jsonrpcs answers: its error
 * codes and messages ("Method Not Found"), the HTTP status it would reply with, its printer
 * ({@link SrJson}, pretty by default). Text that is not JSON gets no answer, as there.
 */
public final class JsonRpcDispatcher {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcDispatcher.class);
    private final RateLimitedLog failures = new RateLimitedLog(log);
    private final ObjectMapper json = new ObjectMapper();
    private final java.util.function.Supplier<RpcRegistry> registry;
    private final boolean pretty;

    /** What to send back: the body (null: nothing, the request was not JSON) and the HTTP status. */
    public record Response(String body, int httpCode, String httpReason, String replyName) {}

    public JsonRpcDispatcher(RpcRegistry registry) {
        this(registry, true);
    }

    public JsonRpcDispatcher(RpcRegistry registry, boolean pretty) {
        this(() -> registry, pretty);
    }

    /** @param registry read at each request: a proxy builds its registry once every module has initialised */
    public JsonRpcDispatcher(java.util.function.Supplier<RpcRegistry> registry, boolean pretty) {
        this.registry = registry;
        this.pretty = pretty;
    }

    /** The response body, or null when the request is not JSON. */
    public String dispatch(String requestText) {
        return handle(requestText).body();
    }

    public Response handle(String requestText) {
        JsonNode req;
        try {
            req = json.readTree(requestText);
        } catch (JsonProcessingException e) {
            return new Response(null, 500, "Parse Error", null);
        }
        if (req == null || !req.isObject()) return new Response(null, 500, "Parse Error", null);
        String replyName = req.path("reply_name").isTextual() ? req.get("reply_name").asText() : null;
        List<SrJson.Member> out = new ArrayList<>();
        out.add(new SrJson.Member("jsonrpc", "2.0"));
        int code = 200;
        String reason = "OK";
        JsonNode method = req.get("method");
        // jsonrpcs answers an empty result, running nothing, when "jsonrpc" or "method" is missing or wrong
        Object result = new SrJson.Obj(List.of());
        if (req.path("jsonrpc").asText("").equals("2.0") && method != null && method.isTextual()) {
            String name = method.asText();
            try {
                RpcRegistry commands = registry.get();
                if (!commands.has(name)) throw new RpcException(500, "Method Not Found");
                Object r = commands.call(name, params(req.get("params")));
                result = r == null ? new SrJson.Obj(List.of()) : r;
            } catch (RpcException e) {
                code = e.code();
                reason = e.getMessage();
                result = null;
            } catch (RuntimeException e) {
                // a bug in a command: the client gets a 500, the log the stack
                failures.error(name, "RPC " + name + " failed: " + e, e);
                code = 500;
                reason = "Internal error: " + e.getMessage();
                result = null;
            }
        }
        if (result != null) {
            out.add(new SrJson.Member("result", result));
        } else {
            out.add(new SrJson.Member("error", new SrJson.Obj(List.of(new SrJson.Member("code", code),
                    new SrJson.Member("message", reason)))));
        }
        JsonNode id = req.get("id");
        if (id != null) out.add(new SrJson.Member("id", id.isTextual() ? id.asText() : id.isNumber() ? id.doubleValue() : id.toString()));
        return new Response(SrJson.print(new SrJson.Obj(out), pretty), code, reason, replyName);
    }

    private List<Object> params(JsonNode p) {
        List<Object> params = new ArrayList<>();
        if (p != null && p.isArray()) {
            for (JsonNode n : p) params.add(json.convertValue(n, Object.class));
        } else if (p != null && p.isObject()) {
            for (Iterator<JsonNode> it = p.elements(); it.hasNext(); ) params.add(json.convertValue(it.next(), Object.class));
        }
        return params;
    }
}
