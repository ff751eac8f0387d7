package dev.kemi.runtime.cli;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.engine.lint.KemiLint;
import dev.kemi.engine.lint.LintFinding;
import dev.kemi.engine.polyglot.AppJsdtModule;
import dev.kemi.engine.polyglot.AppPython3Module;
import dev.kemi.engine.polyglot.PolyglotScript;
import dev.kemi.runtime.modules.pv.PvModule;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

/**
 * `kemi check -f CFG`: load everything a start would, bind nothing; then lint the KEMI script
 * for the pitfalls that make it behave unlike the native cfg it replaces.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a configuration: prints \"config ok\" (exit 0) or file:line: reason (exit 1).",
                "A Python/JavaScript KEMI script is also linted: file:line:col: warning|error: ...; errors exit 1."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CfgOptions cfg;

    @Override
    public Integer call() {
        return check(spec, cfg);
    }

    /** Loads, lints and reports; 0 when the cfg is fine (also `kemi run -c`). */
    static int check(CommandSpec spec, CfgOptions cfg) {
        LoadedConfig lc;
        try {
            lc = ProxyLoader.load(cfg.file, cfg.defineSet());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(ConfigErrors.describe(cfg.file, e));
            return 1;
        }
        try {
            for (String w : lc.warnings()) spec.commandLine().getErr().println("warning: " + w);
            boolean lintErrors = false;
            for (LintFinding f : lint(lc)) {
                spec.commandLine().getErr().println(f);
                lintErrors |= f.severity() == LintFinding.Severity.ERROR;
            }
            if (lintErrors) return 1;
            spec.commandLine().getOut().println("config ok");
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("cannot read the KEMI script: " + e.getMessage());
            return 1;
        } finally {
            if (lc.script() != null) lc.script().close();
        }
    }

    private static List<LintFinding> lint(LoadedConfig lc) throws IOException {
        PolyglotScript script = null;
        for (Object m : lc.modules()) {
            if (m instanceof AppPython3Module p && p.bound() != null) script = p.bound();
            if (m instanceof AppJsdtModule j && j.bound() != null) script = j.bound();
        }
        if (script == null) return List.of();
        String onsend = lc.global("kemi.onsend_route_callback");
        String reply = lc.global("kemi.reply_route_callback");
        PvModule pv = lc.functions().module(PvModule.class);
        return new KemiLint(lc.functions(), pv == null ? null : pv.provider(), onsend != null ? onsend : "ksr_onsend_route",
                reply != null ? reply : "ksr_reply_route").lint(script.file());
    }
}
