package dev.kemi.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kemi.runtime.rpc.RpcClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `kemi rpc METHOD [PARAMS...]`: one JSON-RPC command to a running proxy, as kamcmd. */
@Command(name = "rpc", mixinStandardHelpOptions = true,
        description = "Send one RPC command (Kamailio names: core.version, tm.stats, app_python.reload ...) to a running proxy "
                + "and print the result as JSON. `kemi rpc system.listMethods` lists them.")
final class RpcCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--rpc", paramLabel = "HOST:PORT", defaultValue = RpcWiring.DEFAULT_LISTEN,
            description = "Where the proxy's RPC listens (its --rpc-listen). Default: ${DEFAULT-VALUE}.")
    String rpc;

    @Parameters(index = "0", paramLabel = "METHOD")
    String method;

    @Parameters(index = "1..*", paramLabel = "PARAMS", description = "Parameters; integers are sent as numbers.")
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        return print(spec, call(spec, rpc, method, params));
    }

    /** The response object, or null when the proxy cannot be reached (reported). */
    static JsonNode call(CommandSpec spec, String hostPort, String method, List<String> params) throws InterruptedException {
        try {
            return new RpcClient(hostPort).call(method, params);
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("cannot reach the RPC at " + hostPort + ": " + e);
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
