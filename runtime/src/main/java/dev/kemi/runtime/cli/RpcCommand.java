package dev.kemi.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kemi.runtime.rpc.BinRpcClient;
import dev.kemi.runtime.rpc.ControlAddress;
import dev.kemi.runtime.rpc.RpcClient;
import dev.kemi.runtime.rpc.RpcException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `kemi rpc METHOD [PARAMS...]`: one RPC command to a running proxy, as kamcmd, result printed as JSON. */
@Command(name = "rpc", mixinStandardHelpOptions = true,
        description = "Send one RPC command (Kamailio names: core.version, tm.stats, app_python.reload ...) to a running proxy "
                + "over its ctl socket (BINRPC, as kamcmd) and print the result as JSON. `kemi rpc system.listMethods` lists them.")
final class RpcCommand implements Callable<Integer> {
    static final String DEFAULT_CTL = "unix:/run/kamailio/kamailio_ctl";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where to send: the ctl socket (-s), or the opt-in HTTP listener (--rpc). */
    static final class Target {
        @Option(names = "-s", paramLabel = "ADDRESS", defaultValue = DEFAULT_CTL,
                description = "The proxy's ctl socket, as kamcmd -s (unix:PATH, tcp:HOST:PORT). Default: ${DEFAULT-VALUE}.")
        String ctl;

        @Option(names = "--rpc", paramLabel = "HOST:PORT", description = "Use the proxy's HTTP JSON-RPC listener (its --rpc-listen) instead.")
        String http;
    }

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "METHOD")
    String method;

    @Parameters(index = "1..*", paramLabel = "PARAMS", description = "Parameters; integers are sent as numbers (s:TEXT forces a string).")
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        return print(spec, call(spec, target, method, params));
    }

    /** The response as a JSON-RPC response object ({"result"} or {"error"}), or null when the proxy cannot be reached (reported). */
    static JsonNode call(CommandSpec spec, Target target, String method, List<String> params) throws InterruptedException {
        String where = target.http != null ? target.http : target.ctl;
        try {
            if (target.http != null) return new RpcClient(target.http).call(method, params);
            var out = JSON.createObjectNode();
            try {
                List<Object> values = new BinRpcClient(ControlAddress.parse(target.ctl, Path.of("."))).call(method, params);
                out.set("result", JSON.valueToTree(values.size() == 1 ? values.get(0) : values));
            } catch (RpcException e) {
                out.putObject("error").put("code", e.code()).put("message", e.getMessage());
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("cannot reach the proxy at " + where + ": " + e);
            return null;
        }
    }

    /** Prints the result (0) or, as kamcmd, "error: CODE - MESSAGE" (1). */
    static int print(CommandSpec spec, JsonNode response) {
        if (response == null) return 1;
        JsonNode err = response.get("error");
        if (err != null) {
            spec.commandLine().getErr().println("error: " + err.path("code").asInt() + " - " + err.path("message").asText());
            return 1;
        }
        try {
            spec.commandLine().getOut().println(JSON.writeValueAsString(response.get("result")));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a parsed tree always serialises
        }
        return 0;
    }
}
