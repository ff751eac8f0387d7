package dev.kemi.runtime.cli;

import dev.kemi.engine.cfg.LoadedConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

/** `kemi check -f CFG`: load everything a start would, bind nothing. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a configuration: prints \"config ok\" (exit 0) or file:line: reason (exit 1).")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CfgOptions cfg;

    @Override
    public Integer call() {
        LoadedConfig lc;
        try {
            lc = ProxyLoader.load(cfg.file, cfg.defineSet());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(ConfigErrors.describe(cfg.file, e));
            return 1;
        }
        try {
            for (String w : lc.warnings()) spec.commandLine().getErr().println("warning: " + w);
            spec.commandLine().getOut().println("config ok");
            return 0;
        } finally {
            if (lc.script() != null) lc.script().close();
        }
    }
}
