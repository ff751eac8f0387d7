package dev.kemi.tests.differential;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.runtime.modules.StandardModules;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.KemiCli;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every native export of every module we have, called in every route type, checked by
 * {@code kamailio -c} and {@code kemi check}: the same calls are rejected, at the same place.
 * Both checkers report every misplaced call of a cfg in one run, so one cfg holds all of them,
 * one call per line, and the verdicts are compared line by line.
 */
class ExportRouteTypesDifferentialTest {
    /** Route types as cfg.y checks them; route[...] and every event_route check as request/event route. */
    private static final Map<String, String> BLOCKS = new LinkedHashMap<>();
    static {
        BLOCKS.put("request_route", "request_route");
        BLOCKS.put("route", "route[sub]");
        BLOCKS.put("failure_route", "failure_route[f]");
        BLOCKS.put("onreply_route", "onreply_route[r]");
        BLOCKS.put("branch_route", "branch_route[b]");
        BLOCKS.put("onsend_route", "onsend_route");
        BLOCKS.put("event_route", "event_route[tm:local-request]");
        BLOCKS.put("branch-failure event_route", "event_route[tm:branch-failure:bf]");
        BLOCKS.put("reply_route", "reply_route");
    }

    /** What our check needs to load a module that Kamailio's -c does not initialise. */
    private static final String MODPARAMS = """
            modparam("rtpproxy", "rtpproxy_sock", "udp:127.0.12.1:22222")
            """;

    private static final Pattern KAMAILIO_ERROR = Pattern.compile("parse error in config file [^,]*, line (\\d+), column (\\d+): ([^\\n]*)");
    private static final Pattern OUR_ERROR = Pattern.compile("^.*?:(\\d+):(\\d+): (.*)$", Pattern.MULTILINE);

    @TempDir
    static Path dir;

    @BeforeAll
    static void kamailio() {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
    }

    /**
     * Core keyword arguments cfg.y takes only as a number literal (log(level, text),
     * set_advertised_port(port)); kemi check does not check the literal's kind, so they get one.
     */
    private static final Set<String> NUMBER_ONLY = Set.of("log/2#0", "set_advertised_port/1#0");

    /** One generated call: a native name with its arity, as module {@code module} exports it. */
    private record Call(String module, String name, KemiFunction f, String block) {
        String text() {
            StringBuilder b = new StringBuilder(name).append('(');
            for (int i = 0; i < f.params().size(); i++) {
                if (i > 0) b.append(", ");
                boolean number = f.params().get(i) == KemiType.INT || NUMBER_ONLY.contains(name + "/" + f.params().size() + "#" + i);
                b.append(f.pvName(i) || f.leadingPv(i) ? "\"$var(x)\"" : number ? "1" : "\"1\"");
            }
            return b.append(')').toString();
        }

        @Override
        public String toString() {
            return module + ": " + name + "/" + f.params().size() + " in " + block;
        }
    }

    @Test
    void everyModuleExportIsRejectedInTheRouteTypesKamailioRejectsItIn() throws Exception {
        Map<String, List<KemiFunction>> exports = moduleExports();
        StringBuilder cfg = new StringBuilder("listen=udp:127.0.12.1:5060\n");
        cfg.append("loadpath \"").append(Kamailio.MODULES).append("/\"\n");
        for (String m : exports.keySet()) if (!m.equals("core")) cfg.append("loadmodule \"").append(m).append(".so\"\n");
        cfg.append(MODPARAMS);
        Map<Integer, Call> byLine = new TreeMap<>();
        int line = (int) cfg.chars().filter(c -> c == '\n').count();
        for (Map.Entry<String, String> block : BLOCKS.entrySet()) {
            cfg.append(block.getValue()).append(" {\n");
            line++;
            for (Map.Entry<String, List<KemiFunction>> m : exports.entrySet()) {
                for (KemiFunction f : m.getValue()) {
                    for (String name : f.nativeNames()) {
                        Call c = new Call(m.getKey(), name, f, block.getKey());
                        cfg.append("    ").append(c.text()).append(";\n");
                        byLine.put(++line, c);
                    }
                }
            }
            if (block.getKey().equals("request_route")) {
                cfg.append("    route(sub);\n    t_on_reply(\"r\");\n    t_on_failure(\"f\");\n    t_on_branch(\"b\");\n")
                        .append("    t_on_branch_failure(\"bf\");\n");
                line += 5;
            }
            cfg.append("}\n");
            line++;
        }
        Path file = Files.writeString(dir.resolve("all-exports.cfg"), cfg);

        Map<Integer, String> real = kamailio(file);
        Map<Integer, String> ours = ours(file);
        List<String> disagreements = new ArrayList<>();
        List<String> unknownToKamailio = new ArrayList<>();
        int rejected = 0;
        for (Map.Entry<Integer, Call> e : byLine.entrySet()) {
            String k = real.get(e.getKey());
            String o = ours.get(e.getKey());
            if (k != null && k.contains(": unknown command")) {
                unknownToKamailio.add(e.getValue().toString());
                continue;
            }
            if (k != null) rejected++;
            boolean same = k == null ? o == null : o != null && o.startsWith(k); // same column, same wording
            if (!same) disagreements.add(e.getValue() + ": kamailio " + (k == null ? "accepts" : k) + ", kemi " + (o == null ? "accepts" : o));
        }
        for (Integer l : ours.keySet()) if (!byLine.containsKey(l)) disagreements.add("kemi rejects line " + l + ": " + ours.get(l));
        for (Integer l : real.keySet()) if (!byLine.containsKey(l)) disagreements.add("kamailio rejects line " + l + ": " + real.get(l));
        String report = byLine.size() + " (function, route type) pairs, " + rejected + " rejected by kamailio\n"
                + "unknown to kamailio (name or arity):\n  " + String.join("\n  ", unknownToKamailio) + "\n"
                + "disagreements:\n  " + String.join("\n  ", disagreements);
        assertTrue(disagreements.isEmpty() && unknownToKamailio.isEmpty(), report);
        assertTrue(rejected >= 500, report + "\nthe generated cfg lost its point");
    }

    /** Arities 5.6.3 has that we do not implement. */
    private static final Set<String> MISSING_ARITIES = Set.of(
            "set_rtpengine_set/2"); // a second set for the answer's engine

    /**
     * Each native name of a module we export, called with 0 to 6 arguments: Kamailio knows the
     * same arities of it as our function table, so a cfg using another form fails in both.
     */
    @Test
    void everyArityKamailioHasOfANameWeExportWeHaveToo() throws Exception {
        Map<String, List<KemiFunction>> exports = moduleExports();
        exports.remove("core"); // cfg.y keywords: another arity is a syntax error there
        StringBuilder cfg = new StringBuilder("loadpath \"").append(Kamailio.MODULES).append("/\"\n");
        for (String m : exports.keySet()) cfg.append("loadmodule \"").append(m).append(".so\"\n");
        cfg.append("request_route {\n");
        int line = (int) cfg.chars().filter(c -> c == '\n').count();
        Map<Integer, String> byLine = new TreeMap<>();
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        for (List<KemiFunction> fs : exports.values()) for (KemiFunction f : fs) names.addAll(f.nativeNames());
        for (String name : names) {
            for (int n = 0; n <= 6; n++) {
                cfg.append("    ").append(name).append('(').append(String.join(", ", java.util.Collections.nCopies(n, "\"1\""))).append(");\n");
                byLine.put(++line, name + "/" + n);
            }
        }
        cfg.append("}\n");
        Map<Integer, String> real = kamailio(Files.writeString(dir.resolve("arities.cfg"), cfg));
        FunctionTable ours = dev.kemi.runtime.modules.ModuleTable.ofAllModules();
        List<String> disagreements = new ArrayList<>();
        for (Map.Entry<Integer, String> e : byLine.entrySet()) {
            String k = real.get(e.getKey());
            boolean kamailioHas = k == null || !k.contains(": unknown command");
            String[] na = e.getValue().split("/");
            boolean weHave = ours.nativeFunction(na[0], Integer.parseInt(na[1])) != null;
            if (kamailioHas != weHave && !MISSING_ARITIES.contains(e.getValue())) {
                disagreements.add(e.getValue() + ": kamailio " + (kamailioHas ? "has it" : "does not") + ", kemi " + (weHave ? "has it" : "does not"));
            }
        }
        assertTrue(disagreements.isEmpty(), byLine.size() + " name/arity pairs, disagreements:\n  " + String.join("\n  ", disagreements));
    }

    /** Native exports per Kamailio module we implement (load name), and the core's ("core"), from our function table. */
    static Map<String, List<KemiFunction>> moduleExports() {
        StandardModules cat = new StandardModules();
        Map<String, List<KemiFunction>> out = new TreeMap<>();
        for (String name : cat.loadNames()) {
            if (!Files.exists(Kamailio.MODULES.resolve(name + ".so"))) continue;
            List<KemiFunction> fs = new ArrayList<>();
            for (KemiFunction f : FunctionTable.build(List.of(cat.create(name).orElseThrow())).all()) {
                if (f.inNative()) fs.add(f);
            }
            out.put(name, fs);
        }
        List<KemiFunction> core = new ArrayList<>();
        for (KemiFunction f : FunctionTable.build(cat.builtins()).all()) if (f.inNative()) core.add(f);
        out.put("core", core);
        return out;
    }

    /**
     * Line -> reason of every error {@code kamailio -c} reports: a misplaced call (a module's, or a
     * core keyword in onsend_route) or an unknown one, nothing else (any other error means the parser lost its way and what follows it is
     * not checked). Thousands of calls need more than the default 8 MB of pkg memory (-M).
     */
    private static Map<Integer, String> kamailio(Path cfg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Kamailio.BINARY.toString(), "-c", "-f", cfg.toString(), "-L", Kamailio.MODULES.toString(),
                "-Y", dir.toString(), "-w", dir.toString(), "-M", "64").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kamailio -c did not finish");
        Map<Integer, String> errors = new TreeMap<>();
        Matcher m = KAMAILIO_ERROR.matcher(out);
        while (m.find()) {
            String reason = m.group(3).strip();
            assertTrue(reason.equals("Command cannot be used in the block") || reason.equals("command not allowed in onsend_route")
                            || reason.startsWith("unknown command"),
                    "kamailio -c did not parse the generated cfg: " + m.group());
            errors.put(Integer.parseInt(m.group(1)), m.group(2) + ": " + reason);
        }
        assertTrue(!errors.isEmpty() || out.toLowerCase().contains("config file ok"), "kamailio -c neither accepted nor reported a position:\n" + out);
        return errors;
    }

    /** Line -> "column: reason" of every error {@code kemi check} reports. */
    private static Map<Integer, String> ours(Path cfg) {
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        Map<Integer, String> errors = new TreeMap<>();
        if (r.exitCode() == 0) return errors;
        Matcher m = OUR_ERROR.matcher(r.err());
        while (m.find()) {
            if (m.group(0).startsWith(cfg.toString())) errors.put(Integer.parseInt(m.group(1)), m.group(2) + ": " + m.group(3));
        }
        assertTrue(!errors.isEmpty(), "no file:line:col in: " + r.err());
        return errors;
    }
}
