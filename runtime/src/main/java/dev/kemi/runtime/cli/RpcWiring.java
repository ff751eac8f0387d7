package dev.kemi.runtime.cli;

import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.polyglot.AppJsdtModule;
import dev.kemi.engine.polyglot.AppPython3Module;
import dev.kemi.engine.polyglot.PolyglotScript;
import dev.kemi.engine.polyglot.ScriptWatcher;
import dev.kemi.runtime.rpc.ProxyRpc;
import dev.kemi.runtime.rpc.RpcHttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** `kemi run`'s control options: the JSON-RPC listener and --watch. */
final class RpcWiring {
    private static final Logger log = LoggerFactory.getLogger(RpcWiring.class);
    static final String DEFAULT_LISTEN = "127.0.0.1:5071";

    @Option(names = "--rpc-listen", paramLabel = "HOST:PORT|off", defaultValue = DEFAULT_LISTEN,
            description = "JSON-RPC 2.0 over HTTP (kamcmd-like commands: `kemi rpc`, `kemi reload`); `off` disables. Default: ${DEFAULT-VALUE}.")
    String rpcListen;

    @Option(names = "--watch", description = "Reload the KEMI script (Python or JS) when a file in its directory changes.")
    boolean watch;

    /**
     * Starts what the options ask for and prints where the RPC listens.
     *
     * @return stops them again (at shutdown)
     * @throws IllegalArgumentException for a bad --rpc-listen or --watch without a KEMI script
     * @throws IOException when the RPC address cannot be bound
     */
    Runnable start(LoadedConfig lc, PrintWriter out) throws IOException, InterruptedException {
        List<AutoCloseable> started = new ArrayList<>();
        Runnable stop = () -> {
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing {}: {}", c, e.toString());
                }
            }
        };
        try {
            if (watch) {
                PolyglotScript script = kemiScript(lc);
                if (script == null) throw new IllegalArgumentException("--watch needs a Python or JS routing script (cfgengine \"python\" or \"jsdt\")");
                started.add(ScriptWatcher.watch(script));
                out.println("Watching     " + script.file().getParent());
            }
            if (!rpcListen.equals("off")) {
                RpcHttpServer rpc = new RpcHttpServer(ProxyRpc.registry(lc.functions(), Instant.now()));
                started.add(rpc);
                try {
                    rpc.start(address(rpcListen));
                } catch (Exception e) { // Netty rethrows a bind failure (an IOException) undeclared
                    if (e instanceof InterruptedException || e instanceof RuntimeException) throw e;
                    throw new IOException("--rpc-listen " + rpcListen + ": " + e.getMessage(), e);
                }
                out.println("RPC on       http://" + rpc.address().getHostString() + ":" + rpc.address().getPort() + "/RPC");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop.run();
            throw e;
        }
        return stop;
    }

    /** The script the cfgengine runs, if it is a KEMI one. */
    private static PolyglotScript kemiScript(LoadedConfig lc) {
        AppPython3Module py = lc.functions().module(AppPython3Module.class);
        AppJsdtModule js = lc.functions().module(AppJsdtModule.class);
        return switch (lc.cfgEngine()) {
            case "python" -> py == null ? null : py.bound();
            case "jsdt" -> js == null ? null : js.bound();
            default -> null;
        };
    }

    /** HOST:PORT; a bare PORT means 127.0.0.1, the RPC being for local control. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rpc-listen: expected HOST:PORT or off, got " + hostPort);
        }
    }
}
