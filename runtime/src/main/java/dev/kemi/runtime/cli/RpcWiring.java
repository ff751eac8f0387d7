package dev.kemi.runtime.cli;

import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.polyglot.AppJsdtModule;
import dev.kemi.engine.polyglot.AppPython3Module;
import dev.kemi.engine.polyglot.PolyglotScript;
import dev.kemi.engine.polyglot.ScriptWatcher;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.runtime.modules.ctl.CtlModule;
import dev.kemi.runtime.rpc.BinRpcCodec;
import dev.kemi.runtime.rpc.ControlAddress;
import dev.kemi.runtime.rpc.ControlServer;
import dev.kemi.runtime.rpc.RpcHttpServer;
import dev.kemi.runtime.rpc.RuntimeDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * `kemi run`'s control options. The control surface is Kamailio's: the ctl module's BINRPC socket
 * (kamcmd, `kemi rpc`, `kemi reload`) and jsonrpcs, as the cfg loads them. --ctl adds a BINRPC
 * socket to a cfg without ctl; the HTTP JSON-RPC listener is opt-in.
 */
final class RpcWiring {
    private static final Logger log = LoggerFactory.getLogger(RpcWiring.class);

    @Option(names = "--rpc-listen", paramLabel = "HOST:PORT", defaultValue = "off",
            description = "Also answer JSON-RPC 2.0 over HTTP on this loopback address (off by default). Requests with an Origin "
                    + "header or a non-loopback Host are refused.")
    String rpcListen;

    @Option(names = "--rpc-token-file", paramLabel = "FILE",
            description = "With --rpc-listen: HTTP requests must carry \"Authorization: Bearer TOKEN\", TOKEN being this file's first line.")
    Path tokenFile;

    @Option(names = "--ctl", paramLabel = "ADDRESS",
            description = "A BINRPC control socket (kamcmd, `kemi rpc`) for a cfg that loads no ctl module: unix:PATH (0600; "
                    + "a relative PATH is under the runtime directory), tcp:HOST:PORT ...")
    String ctl;

    @Option(names = "--watch", description = "Reload the KEMI script (Python or JS) when a file in its directory changes.")
    boolean watch;

    /**
     * Starts what the options ask for and prints where control listens.
     *
     * @return stops them again (at shutdown)
     * @throws IllegalArgumentException for a bad option or --watch without a KEMI script
     * @throws IOException when an address cannot be bound
     */
    Runnable start(LoadedConfig lc, SipProxy proxy, PrintWriter out) throws IOException {
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
            CtlModule module = lc.functions().module(CtlModule.class);
            if (module != null) {
                for (ControlAddress a : module.addresses()) out.println("Control on   " + a);
            } else if (ctl != null) {
                ControlAddress a = ControlAddress.parse(ctl, RuntimeDir.of(proxy));
                started.add(ControlServer.bind(a, new BinRpcCodec(proxy::rpc, 32 * 1024), 0600, null, null, "ctl"));
                out.println("Control on   " + a);
            }
            if (!rpcListen.equals("off")) {
                String token = tokenFile == null ? null : Files.readAllLines(tokenFile).stream().findFirst().orElse("").strip();
                if (token != null && token.isEmpty()) throw new IllegalArgumentException("--rpc-token-file " + tokenFile + " is empty");
                RpcHttpServer rpc = new RpcHttpServer(proxy.rpc(), token);
                started.add(rpc);
                try {
                    rpc.start(address(rpcListen));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                } catch (Exception e) { // Netty rethrows a bind failure (an IOException) undeclared
                    if (e instanceof RuntimeException) throw e;
                    throw new IOException("--rpc-listen " + rpcListen + ": " + e.getMessage(), e);
                }
                out.println("RPC on       http://" + rpc.address().getHostString() + ":" + rpc.address().getPort() + "/RPC");
            }
        } catch (IOException | RuntimeException e) {
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

    /** HOST:PORT; a bare PORT means 127.0.0.1. */
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
