package dev.kemi.runtime.cli;

import dev.kemi.runtime.compare.CompareReport;
import dev.kemi.runtime.compare.CompareSession;
import dev.kemi.runtime.compare.ConfigSide;
import dev.kemi.runtime.compare.Explainer;
import dev.kemi.runtime.compare.KamailioOracle;
import dev.kemi.runtime.compare.PipelineProxyFactory;
import dev.kemi.runtime.compare.ProxyFactory;
import dev.kemi.runtime.compare.ReportFormat;
import dev.kemi.runtime.compare.Scenario;
import dev.kemi.runtime.compare.ScenarioException;
import dev.kemi.runtime.compare.ScenarioLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `kemi compare`: plays the scenario corpus against several configurations and reports what they send differently. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run the same SIP scenarios against several configurations (native cfg, Python KEMI, JS KEMI, any mix) "
                + "on a virtual network and clock, and report the first message each one sends differently from the first.",
                "A scenario that does not run to its end on every side is reported as not exercised, never as identical.",
                "Exit code: 0 every scenario ran everywhere and all identical, 1 a difference, 2 no difference but something "
                        + "could not be compared (or a usage error)."})
public final class CompareCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CFG", arity = "0..*", description = "kamailio.cfg files; the first is the baseline")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--scenarios", paramLabel = "DIR|FILE",
            description = "scenario directory, YAML file, or SIPp XML scenario: UAC.xml or UAC.xml,UAS.xml (repeatable; "
                    + "default: the scenarios shipped with Kemi Proxy, scripts/scenarios of its installation)")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--only", paramLabel = "NAME", description = "run only these scenarios (repeatable)")
    List<String> only = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FMT", description = "text, json or html (default: ${DEFAULT-VALUE})")
    String format = "text";

    @Option(names = "--out", paramLabel = "FILE", description = "write the report here instead of stdout")
    Path out;

    @Option(names = "--real", paramLabel = "HOST:PORT[=CFG]",
            description = "also play the scenarios over real sockets against a proxy running there (e.g. Kamailio), optionally "
                    + "naming the cfg it runs (for explanations); repeatable, compared after the CFGs")
    List<String> real = new ArrayList<>();

    @Option(names = "--oracle", paramLabel = "WHO",
            description = "auto (default): when Kamailio is installed, play the scenarios on real Kamailio running each CFG as well and "
                    + "flag where our prediction differs from it; kamailio: the same, an error when it is not installed; none: skip")
    String oracle = "auto";

    @Spec
    CommandSpec spec;

    private final ProxyFactory factory;

    /** Runs the CFGs on Kemi Proxy itself, in-process. */
    public CompareCommand() {
        this(new PipelineProxyFactory());
    }

    /** @param factory the in-process proxy for CFG sides; null: only --real sides can run */
    public CompareCommand(ProxyFactory factory) {
        this.factory = factory;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            ReportFormat fmt;
            try {
                fmt = ReportFormat.parse(format);
            } catch (IllegalArgumentException e) {
                err.println("compare: unknown format '" + format + "' (text, json, html)");
                return CompareReport.ERROR;
            }
            if (!List.of("auto", "kamailio", "none").contains(oracle)) {
                err.println("compare: unknown oracle '" + oracle + "' (auto, kamailio, none)");
                return CompareReport.ERROR;
            }
            KamailioOracle judge = oracle.equals("none") || configs.isEmpty() ? null : KamailioOracle.installed();
            if (judge == null && oracle.equals("kamailio")) {
                err.println("compare: --oracle kamailio: no kamailio binary in /usr/sbin, /usr/local/sbin, /usr/bin or /usr/local/bin");
                return CompareReport.ERROR;
            }
            List<ConfigSide> sides = new ArrayList<>();
            for (Path c : configs) sides.add(ConfigSide.of(c));
            for (String r : real) {
                int eq = r.indexOf('=');
                sides.add(eq < 0 ? ConfigSide.real(address(r)) : ConfigSide.real(address(r.substring(0, eq)), Path.of(r.substring(eq + 1))));
            }
            // one cfg is judged by Kamailio alone: is our prediction of it what Kamailio does?
            if (sides.size() < 2 && !(configs.size() == 1 && real.isEmpty() && judge != null)) {
                err.println("compare: give at least two configurations (CFG files and/or --real HOST:PORT), "
                        + "or one CFG with Kamailio installed as the oracle");
                return CompareReport.ERROR;
            }
            if (!configs.isEmpty() && factory == null) {
                err.println("compare: no in-process proxy is available in this build to run CFG files; use --real");
                return CompareReport.ERROR;
            }
            List<Scenario> list = new ArrayList<>();
            for (String s : scenarios.isEmpty() ? List.of(Installation.find("scripts/scenarios").toString()) : scenarios) {
                list.addAll(ScenarioLoader.loadAny(s));
            }
            if (!only.isEmpty()) {
                list = list.stream().filter(s -> only.contains(s.name())).toList();
                if (list.isEmpty()) {
                    err.println("compare: no scenario named " + String.join(", ", only) + " in " + String.join(", ", scenarios));
                    return CompareReport.ERROR;
                }
            }
            CompareSession session = new CompareSession(factory, Explainer.standard());
            CompareReport report = session.run(sides, list);
            if (judge != null) report = session.judge(judge, report);
            else if (oracle.equals("auto") && !configs.isEmpty()) report = report.withOracle(List.of(), "kamailio is not installed");
            String text = fmt.render(report);
            if (out != null) {
                Files.writeString(out, text);
                spec.commandLine().getOut().println(report.summary() + " — report in " + out);
            } else {
                spec.commandLine().getOut().print(text);
            }
            spec.commandLine().getOut().flush();
            return report.exitCode();
        } catch (ScenarioException e) {
            err.println("compare: " + e.getMessage());
            return CompareReport.ERROR;
        } catch (IOException | IllegalArgumentException e) {
            err.println("compare: " + e.getMessage());
            return CompareReport.ERROR;
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int c = hostPort.lastIndexOf(':');
        if (c <= 0) throw new IllegalArgumentException("--real expects HOST:PORT, got '" + hostPort + "'");
        try {
            return new InetSocketAddress(hostPort.substring(0, c), Integer.parseInt(hostPort.substring(c + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--real expects HOST:PORT, got '" + hostPort + "'");
        }
    }
}
