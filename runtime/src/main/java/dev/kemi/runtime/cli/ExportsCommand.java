package dev.kemi.runtime.cli;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.RouteType;
import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.modules.ModuleTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `kemi exports`: the function table, one declaration per line: KEMI signature, native names with
 * their arity, the route types native cfg may call it in, the return codes.
 */
@Command(name = "exports", mixinStandardHelpOptions = true,
        description = {"Print the function table: every export of every module we have (or of the modules a cfg loads).",
                "Columns: KEMI signature (- = native only), native names/arity (- = KEMI only), route types, return codes."})
final class ExportsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-f", paramLabel = "CFG", description = "Only the modules this cfg loads.")
    java.nio.file.Path file;

    @Option(names = "--kemi", description = "Only the KEMI signatures, in the format of Kamailio's export lists (module.fn(str, int) -> int).")
    boolean kemiOnly;

    @Override
    public Integer call() {
        FunctionTable table;
        LoadedConfig lc = null;
        if (file != null) {
            try {
                lc = ProxyLoader.load(file, java.util.Set.of());
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println(ConfigErrors.describe(file, e));
                return 1;
            }
            table = lc.functions();
        } else {
            table = ModuleTable.ofAllModules();
        }
        try {
            PrintWriter out = spec.commandLine().getOut();
            for (Map.Entry<String, List<KemiFunction>> m : byModule(table).entrySet()) {
                if (!kemiOnly) out.println("### " + (m.getKey().isEmpty() ? "core" : m.getKey()));
                for (KemiFunction f : m.getValue()) {
                    if (kemiOnly) {
                        if (f.inKemi()) out.println(f.kemiSignature());
                    } else {
                        out.println(line(f));
                    }
                }
            }
            out.flush();
            return 0;
        } finally {
            if (lc != null && lc.script() != null) lc.script().close();
        }
    }

    /** Exports per KEMI sub-object ("" = core), KEMI ones first, each group by name. */
    static Map<String, List<KemiFunction>> byModule(FunctionTable table) {
        Map<String, List<KemiFunction>> out = new TreeMap<>();
        for (KemiFunction f : table.all()) out.computeIfAbsent(f.module(), k -> new ArrayList<>()).add(f);
        for (List<KemiFunction> l : out.values()) {
            l.sort(Comparator.comparing((KemiFunction f) -> !f.inKemi()).thenComparing(KemiFunction::name)
                    .thenComparing(f -> f.params().size()));
        }
        return out;
    }

    static String line(KemiFunction f) {
        String kemi = f.inKemi() ? f.kemiSignature() : "-";
        String natives = f.inNative()
                ? f.nativeNames().stream().map(n -> n + "/" + f.params().size()).collect(Collectors.joining(", ")) : "-";
        String routes = f.inNative() ? RouteType.describe(f.routes()) : "-";
        String codes = f.returnCodes().stream().map(String::valueOf).collect(Collectors.joining(", "));
        if (f.intValue()) codes = codes.isEmpty() ? "value" : "value, " + codes;
        else if (codes.isEmpty()) codes = f.returns() == dev.kemi.api.KemiType.INT ? "?" : "-";
        return kemi + "\t" + natives + "\t" + routes + "\t" + codes;
    }
}
