package dev.kemi.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `kemi reload`: app_python.reload, or app_jsdt.reload when the proxy runs JS. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Reload the running proxy's Python or JS routing script. The new script is loaded and initialised "
                + "first; if it fails, the error (file:line) is printed and the old script keeps serving.")
final class ReloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    RpcCommand.Target rpc;

    @Override
    public Integer call() throws InterruptedException {
        JsonNode r = RpcCommand.call(spec, rpc, "app_python.reload", List.of());
        if (r != null && notFound(r, "app_python.reload")) {
            r = RpcCommand.call(spec, rpc, "app_jsdt.reload", List.of());
            if (r != null && notFound(r, "app_jsdt.reload")) {
                spec.commandLine().getErr().println("error: the proxy runs no Python or JS script (no app_python3 or app_jsdt module)");
                return 1;
            }
        }
        return RpcCommand.print(spec, r);
    }

    private static boolean notFound(JsonNode response, String method) {
        String m = response.path("error").path("message").asText();
        return m.equals("command " + method + " not found") || m.equals("Method Not Found");
    }
}
