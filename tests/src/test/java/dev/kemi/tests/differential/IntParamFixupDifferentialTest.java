package dev.kemi.tests.differential;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.KemiFunction;
import dev.kemi.api.KemiType;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.KemiCli;
import dev.kemi.tests.db.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every int parameter of every native export of the modules below, given a pseudo-variable
 * ("$var(x)"): Kamailio 5.6.3 takes it where the parameter's fixup is fixup_igp / fixup_var_int
 * and refuses it at startup ("fixing failed ... at cfg:FILE:LINE") where it is fixup_int /
 * fixup_uint (a number literal only); {@code kemi check} must refuse the same lines. Kamailio
 * stops at the first failing fixup and {@code kamailio -c} runs none, so both are run again with
 * each refused line blanked until the cfg loads.
 */
class IntParamFixupDifferentialTest {
    /** Modules whose mod_init needs nothing more than this cfg (no database, no list file). */
    private static final Set<String> MODULES = Set.of("sl", "tm", "tmx", "rr", "maxfwd", "siputils", "textops", "textopsx",
            "sanity", "corex", "kex", "pv", "xlog", "htable", "dialog", "nathelper", "usrloc", "registrar", "pike", "uac", "auth",
            "counters", "debugger");

    /** Route blocks by the route type they check as, in the order a call is placed in the first its flags allow. */
    private static final Map<Integer, String> BLOCKS = new java.util.LinkedHashMap<>();
    static {
        BLOCKS.put(dev.kemi.api.RouteType.REQUEST, "request_route");
        BLOCKS.put(dev.kemi.api.RouteType.FAILURE, "failure_route[f]");
        BLOCKS.put(dev.kemi.api.RouteType.TM_ONREPLY, "onreply_route[r]");
        BLOCKS.put(dev.kemi.api.RouteType.BRANCH, "branch_route[b]");
    }

    private static final Pattern KAMAILIO_REFUSED = Pattern.compile("fixing failed \\(code=-?\\d+\\) at cfg:[^:]*:(\\d+)");
    private static final Pattern OUR_ERROR = Pattern.compile("^.*?:(\\d+):(\\d+): (.*)$", Pattern.MULTILINE);

    @TempDir
    static Path dir;

    @BeforeAll
    static void kamailio() {
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
    }

    @Test
    void aPseudoVariableIsRefusedForTheIntParametersKamailioTakesAsLiteralsOnly() throws Exception {
        Map<String, List<KemiFunction>> exports = new TreeMap<>(ExportRouteTypesDifferentialTest.moduleExports());
        exports.keySet().retainAll(MODULES);
        StringBuilder cfg = new StringBuilder("listen=udp:127.0.39.30:5060\nchildren=1\nauto_aliases=no\n");
        cfg.append("loadpath \"").append(Kamailio.MODULES).append("/\"\n");
        for (String m : List.of("sl", "tm", "tmx", "rr", "maxfwd", "siputils", "textops", "textopsx", "sanity", "corex", "kex", "pv",
                "xlog", "htable", "dialog", "nathelper", "usrloc", "registrar", "pike", "uac", "auth", "counters", "debugger")) {
            cfg.append("loadmodule \"").append(m).append(".so\"\n");
        }
        // each call in the first block type it may be used in, as kamailio -c would refuse it elsewhere
        Map<Integer, List<String[]>> byBlock = new TreeMap<>();
        for (Map.Entry<String, List<KemiFunction>> m : exports.entrySet()) {
            for (KemiFunction f : m.getValue()) {
                for (int p = 0; p < f.params().size(); p++) {
                    if (f.params().get(p) != KemiType.INT) continue;
                    int block = BLOCKS.keySet().stream().filter(b -> (f.routes() & b) != 0).findFirst().orElse(0);
                    if (block == 0) continue;
                    for (String name : f.nativeNames()) {
                        String what = m.getKey() + ": " + name + "/" + f.params().size() + " parameter " + (p + 1);
                        // the same call with the literal 1 there, on the next line: refused too, it fails for another reason
                        byBlock.computeIfAbsent(block, b -> new ArrayList<>()).add(new String[] {call(name, f, p, "\"$var(x)\""), what});
                        byBlock.get(block).add(new String[] {call(name, f, p, "1"), null});
                    }
                }
            }
        }
        int line = (int) cfg.chars().filter(c -> c == '\n').count();
        Map<Integer, String> calls = new TreeMap<>();
        for (Map.Entry<Integer, List<String[]>> b : byBlock.entrySet()) {
            cfg.append(BLOCKS.get(b.getKey())).append(" {\n");
            line++;
            for (String[] c : b.getValue()) {
                cfg.append("    ").append(c[0]).append(";\n");
                calls.put(++line, c[1]);
            }
            cfg.append("}\n");
            line++;
        }
        List<String> lines = new ArrayList<>(List.of(cfg.toString().split("\n", -1)));

        Set<Integer> real = refused(lines, IntParamFixupDifferentialTest::kamailioRefuses);
        Set<Integer> ours = refused(lines, IntParamFixupDifferentialTest::oursRefuses);
        List<String> disagreements = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (Map.Entry<Integer, String> e : calls.entrySet()) {
            if (e.getValue() == null) continue;
            if (real.contains(e.getKey() + 1)) {
                unchecked.add(e.getValue());
                continue;
            }
            boolean k = real.contains(e.getKey()), o = ours.contains(e.getKey());
            if (k != o) disagreements.add(e.getValue() + ": kamailio " + (k ? "refuses" : "takes") + " \"$var(x)\", kemi " + (o ? "refuses" : "takes") + " it");
        }
        for (Integer l : real) if (!calls.containsKey(l)) disagreements.add("kamailio refuses line " + l + ": " + lines.get(l - 1));
        for (Integer l : ours) if (!calls.containsKey(l)) disagreements.add("kemi refuses line " + l + ": " + lines.get(l - 1));
        for (Integer l : ours) {
            if (calls.get(l) == null && calls.containsKey(l) && !real.contains(l)) disagreements.add("kemi refuses the literal in line " + l + ": " + lines.get(l - 1));
        }
        long checked = calls.values().stream().filter(v -> v != null).count() - unchecked.size();
        String report = checked + " int parameters given a pseudo-variable, " + real.size() + " lines refused by kamailio\n"
                + "not checked (kamailio refuses the call for another parameter):\n  " + String.join("\n  ", unchecked)
                + "\ndisagreements:\n  " + String.join("\n  ", disagreements);
        assertTrue(disagreements.isEmpty(), report);
        assertTrue(checked >= 80 && !real.isEmpty(), report + "\nthe generated cfg lost its point");
    }

    /** The call with parameter p given as {@code value}, the other ints 1 and the strings as the route-type test gives them. */
    private static String call(String name, KemiFunction f, int p, String value) {
        StringBuilder b = new StringBuilder(name).append('(');
        for (int i = 0; i < f.params().size(); i++) {
            if (i > 0) b.append(", ");
            if (i == p) b.append(value);
            else if (f.params().get(i) == KemiType.INT) b.append('1');
            else b.append(f.pvName(i) || f.leadingPv(i) ? "\"$var(x)\"" : "\"1\"");
        }
        return b.append(')').toString();
    }

    /** A checker: the line of the first call it refuses in this cfg, or 0 when it takes them all. */
    private interface Checker {
        int firstRefused(Path cfg) throws Exception;
    }

    /** Runs the checker, blanking each refused line, until it takes the rest. */
    private static Set<Integer> refused(List<String> lines, Checker checker) throws Exception {
        List<String> cur = new ArrayList<>(lines);
        Set<Integer> out = new TreeSet<>();
        Path file = dir.resolve("int-params.cfg");
        for (int guard = 0; guard <= lines.size(); guard++) {
            Files.writeString(file, String.join("\n", cur));
            int l = checker.firstRefused(file);
            if (l == 0) return out;
            assertTrue(out.add(l) && l <= cur.size(), "refused line " + l + " twice");
            cur.set(l - 1, "");
        }
        throw new AssertionError("no end to the refusals");
    }

    /**
     * Kamailio started on the cfg: the line of the fixup that failed, or 0 once it gets past
     * the fixups (it then binds its socket, and is stopped).
     */
    private static int kamailioRefuses(Path cfg) throws Exception {
        Path log = dir.resolve("kamailio.log");
        Process p = new ProcessBuilder(Kamailio.BINARY.toString(), "-f", cfg.toString(), "-L", Kamailio.MODULES.toString(), "-DD", "-E",
                "-w", dir.toString(), "-Y", dir.toString(), "-m", "64", "-M", "32").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (p.waitFor(100, TimeUnit.MILLISECONDS)) break;
                if (dev.kemi.tests.LocalSockets.udpBound(new java.net.InetSocketAddress("127.0.39.30", 5060))) return 0;
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = KAMAILIO_REFUSED.matcher(out);
            assertTrue(m.find(), "kamailio stopped without a fixup error (or did not start in time):\n" + tail(out));
            return Integer.parseInt(m.group(1));
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** kemi check on the cfg: the line of its first error, or 0 when it takes the cfg. */
    private static int oursRefuses(Path cfg) {
        KemiCli.Result r = KemiCli.run("check", "-f", cfg.toString());
        if (r.exitCode() == 0) return 0;
        Matcher m = OUR_ERROR.matcher(r.err());
        while (m.find()) if (m.group(0).startsWith(cfg.toString())) return Integer.parseInt(m.group(1));
        throw new AssertionError("no file:line:col in: " + r.err());
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }
}
