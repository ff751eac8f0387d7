package dev.kemi.tests.differential;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.Param;
import dev.kemi.runtime.modules.StandardModules;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.KemiCli;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 * Every modparam of every module we have, set once as {@code yes} and once as {@code "1"} in a
 * cfg for {@code kamailio -c}: Kamailio types its parameters strictly (int or string, the boolean
 * words being ints), so its verdicts give each parameter's type, and our setters must take the same.
 */
class ModparamTypesDifferentialTest {
    private static final Pattern KAMAILIO_ERROR = Pattern.compile(
            "([^\\n]*)\\n[^\\n]*parse error in config file [^,]*, line (\\d+), column \\d+: Can't set module parameter");

    @TempDir
    static Path dir;

    @BeforeAll
    static void kamailio() {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
    }

    /** Our own parameters, documented as extensions: the embedded media relay, the JVM's metrics. */
    private static final Set<String> EXTENSIONS = Set.of("rtpproxy: relay", "xhttp_prom: jvm_metrics");

    /** A parameter we declare, with the value types our setters take. */
    private record Declared(String module, String name, boolean takesInt, boolean takesString) {}

    @Test
    void ourSettersTakeTheTypesKamailioTakes() throws Exception {
        List<Declared> params = declared();
        StringBuilder cfg = new StringBuilder("loadpath \"").append(Kamailio.MODULES).append("/\"\n");
        for (String m : params.stream().map(Declared::module).distinct().toList()) {
            cfg.append("loadmodule \"").append(m).append(".so\"\n");
        }
        int line = (int) cfg.chars().filter(c -> c == '\n').count();
        Map<Integer, Declared> asInt = new TreeMap<>();
        Map<Integer, Declared> asString = new TreeMap<>();
        for (Declared p : params) {
            cfg.append("modparam(\"").append(p.module()).append("\", \"").append(p.name()).append("\", yes)\n");
            asInt.put(++line, p);
            cfg.append("modparam(\"").append(p.module()).append("\", \"").append(p.name()).append("\", \"1\")\n");
            asString.put(++line, p);
        }
        cfg.append("request_route {\n    exit;\n}\n");
        Path file = Files.writeString(dir.resolve("modparams.cfg"), cfg);

        Set<Integer> wrongType = kamailioWrongType(file);
        List<String> disagreements = new ArrayList<>();
        for (Declared p : params) {
            int intLine = asInt.entrySet().stream().filter(e -> e.getValue() == p).findFirst().orElseThrow().getKey();
            boolean kamailioInt = !wrongType.contains(intLine);
            boolean kamailioString = !wrongType.contains(intLine + 1);
            if (!kamailioInt && !kamailioString) {
                if (EXTENSIONS.contains(p.module() + ": " + p.name())) continue;
                disagreements.add(p.module() + ": " + p.name() + " is not a parameter of Kamailio's module");
            } else if (kamailioInt != p.takesInt() || kamailioString != p.takesString()) {
                disagreements.add(p.module() + ": " + p.name() + " is " + type(kamailioInt, kamailioString) + " in Kamailio, "
                        + type(p.takesInt(), p.takesString()) + " here");
            }
        }
        assertTrue(disagreements.isEmpty(), params.size() + " parameters compared, disagreements:\n  " + String.join("\n  ", disagreements));
    }

    /**
     * Every int parameter set to {@code yes} (1) loads in {@code kemi check}, or is refused for
     * its value (one we do not implement, a setting that needs another), never for its type.
     */
    @Test
    void booleanWordsLoadForEveryIntParameter() throws Exception {
        Map<String, List<Declared>> byModule = new TreeMap<>();
        for (Declared p : declared()) if (p.takesInt()) byModule.computeIfAbsent(p.module(), k -> new ArrayList<>()).add(p);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Declared>> m : byModule.entrySet()) {
            List<Declared> left = new ArrayList<>(m.getValue());
            while (!left.isEmpty()) {
                StringBuilder cfg = new StringBuilder("listen=udp:127.0.12.1:5060\nloadmodule \"").append(m.getKey()).append(".so\"\n");
                for (Declared p : left) cfg.append("modparam(\"").append(m.getKey()).append("\", \"").append(p.name()).append("\", yes)\n");
                cfg.append("request_route {\n    exit;\n}\n");
                Path file = Files.writeString(dir.resolve(m.getKey() + "-yes.cfg"), cfg);
                KemiCli.Result r = KemiCli.run("check", "-f", file.toString());
                if (r.exitCode() == 0) break;
                Matcher at = Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+)(?::\\d+)?: (.*)").matcher(r.err());
                if (!at.find() || Integer.parseInt(at.group(1)) < 3 || Integer.parseInt(at.group(1)) >= 3 + left.size()) {
                    problems.add(m.getKey() + ": " + r.err().strip());
                    break;
                }
                Declared p = left.remove(Integer.parseInt(at.group(1)) - 3);
                // the setter's own refusal of the value 1, not the loader's of the word
                if (!at.group(2).startsWith("modparam(\"" + m.getKey() + "\", \"" + p.name() + "\"): ")) {
                    problems.add(m.getKey() + ": " + p.name() + " = yes: " + at.group(2));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static String type(boolean i, boolean s) {
        return i && s ? "int or string" : i ? "int" : "string";
    }

    /** The @Param setters of every module we have that Kamailio has too. */
    private static List<Declared> declared() {
        StandardModules cat = new StandardModules();
        List<Declared> out = new ArrayList<>();
        for (String module : cat.loadNames()) {
            if (!Files.exists(Kamailio.MODULES.resolve(module + ".so"))) continue;
            Map<String, Set<Class<?>>> types = new TreeMap<>();
            for (Method m : cat.create(module).orElseThrow().getClass().getMethods()) {
                Param p = m.getAnnotation(Param.class);
                if (p != null && m.getParameterCount() == 1) types.computeIfAbsent(p.value(), k -> new HashSet<>()).add(m.getParameterTypes()[0]);
            }
            for (Map.Entry<String, Set<Class<?>>> e : types.entrySet()) {
                out.add(new Declared(module, e.getKey(), e.getValue().contains(int.class), e.getValue().contains(String.class)));
            }
        }
        return out;
    }

    /** Lines where {@code kamailio -c} found no parameter of that name with the value's type. */
    private static Set<Integer> kamailioWrongType(Path cfg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Kamailio.BINARY.toString(), "-c", "-f", cfg.toString(), "-L", Kamailio.MODULES.toString(),
                "-Y", dir.toString(), "-w", dir.toString(), "-M", "64").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kamailio -c did not finish");
        Set<Integer> lines = new HashSet<>();
        Matcher m = KAMAILIO_ERROR.matcher(out);
        while (m.find()) {
            // a parameter function refusing the value is not a type verdict
            if (m.group(1).contains("not found in module")) lines.add(Integer.parseInt(m.group(2)));
        }
        assertTrue(!lines.isEmpty(), "kamailio -c found no parameter of the wrong type:\n" + out);
        return lines;
    }
}
