package dev.kemi.runtime.cli;

import dev.kemi.runtime.core.LogLevels;
import dev.kemi.runtime.core.LogTarget;
import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.runtime.core.ProxyConfig;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.runtime.transport.ListenSocket;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `kemi run -f CFG`: the proxy until SIGTERM / Ctrl-C, with Kamailio's command-line options. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the proxy; SIGTERM or Ctrl-C stops it cleanly. Takes kamailio's options (-f -D -E -P -w -Y -m -M -u -g -A -c ...).")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CfgOptions cfg;

    @Mixin
    KamailioOptions k;

    @Mixin
    RpcWiring control;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        String problem = k.problem();
        if (problem != null) {
            err.println(problem);
            return 1;
        }
        if (k.checkOnly) return CheckCommand.check(spec, cfg);
        if (k.sharedMemory != null || k.privateMemory != null) {
            err.println("note: -m/-M accepted: the JVM sizes its heap (set JAVA_OPTS=-Xmx... to change it)");
        }
        LoadedConfig lc;
        try {
            lc = ProxyLoader.load(cfg.file, cfg.defineSet());
        } catch (RuntimeException e) {
            err.println(ConfigErrors.describe(cfg.file, e));
            return 1;
        }
        LogLevels.apply(lc.global("debug"));
        dev.kemi.runtime.core.Globals g = ProxyLoader.globals(lc);
        LogTarget.apply(k.logStderr || g.boolValue("log_stderror", false), lc.global("log_facility"), lc.global("log_name"),
                LogTarget.DEV_LOG, err);
        // as Kamailio warns at startup (e.g. t_on_failure naming a missing block)
        for (String w : lc.warnings()) err.println("warning: " + w);
        ProxyConfig pc = ProxyLoader.proxyConfig(lc, k.overrides());
        Privileges privileges;
        try {
            privileges = Privileges.plan(global(pc, "user"), global(pc, "group"), global(pc, "chroot"));
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 1;
        }
        SipProxy proxy;
        try {
            proxy = SipProxy.start(pc);
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println(ConfigErrors.describe(cfg.file, e));
            return 1;
        }
        out.println("Listening on");
        for (ListenSocket s : proxy.sockets()) {
            out.println("             " + s + (s.advertiseHost() != null ? " advertise " + s.viaHost() + ":" + s.viaPort() : ""));
        }
        Runnable stopControl = () -> {};
        try {
            stopControl = control.start(lc, proxy, out);
            // the pid file is written before the switch, as Kamailio does (its directory is root's)
            if (k.pidFile != null) Files.writeString(k.pidFile, ProcessHandle.current().pid() + "\n");
            privileges.apply();
            if (k.readyFile != null) Files.writeString(k.readyFile, "ok\n");
        } catch (IOException | RuntimeException e) {
            err.println(e.getMessage());
            stopControl.run();
            proxy.close();
            return 1;
        }
        Runnable stop = stopControl;
        // SIGTERM/SIGINT run the hook: stop receiving, finish queued messages, close sockets
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            proxy.close();
            if (k.pidFile != null) k.pidFile.toFile().delete();
        }, "shutdown"));
        new CountDownLatch(1).await();
        return 0;
    }

    /** A core parameter, its aliases (uid, gid) included, unquoted. */
    private static String global(ProxyConfig pc, String name) {
        String v = pc.globals().get(name);
        if (v == null && name.equals("user")) v = pc.globals().get("uid");
        if (v == null && name.equals("group")) v = pc.globals().get("gid");
        return v == null ? null : dev.kemi.runtime.core.Globals.unquote(v);
    }
}
