package dev.kemi.runtime.cli;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.runtime.transport.ListenSocket;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

/** `kemi run -f CFG`: the proxy in the foreground until SIGTERM / Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the proxy in the foreground; SIGTERM or Ctrl-C stops it cleanly.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CfgOptions cfg;

    @Mixin
    RpcWiring control;

    @Override
    public Integer call() throws InterruptedException {
        LoadedConfig lc;
        try {
            lc = ProxyLoader.load(cfg.file, cfg.defineSet());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(ConfigErrors.describe(cfg.file, e));
            return 1;
        }
        LogLevels.apply(lc.global("debug"));
        // as Kamailio warns at startup (e.g. t_on_failure naming a missing block)
        for (String w : lc.warnings()) spec.commandLine().getErr().println("warning: " + w);
        SipProxy proxy;
        try {
            proxy = SipProxy.start(ProxyLoader.proxyConfig(lc));
        } catch (IOException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(ConfigErrors.describe(cfg.file, e));
            return 1;
        }
        spec.commandLine().getOut().println("Listening on");
        for (ListenSocket s : proxy.sockets()) {
            spec.commandLine().getOut().println("             " + s + (s.advertiseHost() != null ? " advertise " + s.viaHost() + ":" + s.viaPort() : ""));
        }
        Runnable stopControl;
        try {
            stopControl = control.start(lc, spec.commandLine().getOut());
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println(e.getMessage());
            proxy.close();
            return 1;
        }
        // SIGTERM/SIGINT run the hook: stop receiving, finish queued messages, close sockets
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopControl.run();
            proxy.close();
        }, "shutdown"));
        new CountDownLatch(1).await();
        return 0;
    }
}
