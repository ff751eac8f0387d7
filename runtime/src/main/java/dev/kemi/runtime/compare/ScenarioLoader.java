package dev.kemi.runtime.compare;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kemi.runtime.transport.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads scenario YAML files (format: scripts/scenarios/README.md). Every error names the file
 * and, where it applies, the step.
 */
public final class ScenarioLoader {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final long DEFAULT_TIMEOUT_MS = 5000;
    private static final long DEFAULT_SETTLE_MS = 2000;

    private ScenarioLoader() {}

    /** All *.yaml / *.yml files of a directory, sorted by file name. */
    public static List<Scenario> loadDir(Path dir) throws ScenarioException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new ScenarioException(dir + ": cannot list scenarios: " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new ScenarioException(dir + ": no *.yaml scenarios");
        List<Scenario> out = new ArrayList<>();
        for (Path f : files) out.add(load(f));
        return out;
    }

    /**
     * What `--scenarios` names: a directory of *.yaml, one YAML file, or a SIPp XML UAC scenario
     * ("UAC.xml", or "UAC.xml,UAS.xml" with the UAS it calls).
     */
    public static List<Scenario> loadAny(String spec) throws ScenarioException {
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) return loadDir(p);
        String first = spec.contains(",") ? spec.substring(0, spec.indexOf(',')) : spec;
        if (!Files.exists(Path.of(first))) {
            throw new ScenarioException(first + ": no such scenario file or directory (relative to "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (spec.endsWith(".xml") || spec.contains(".xml,")) return List.of(SippImport.load(spec));
        return List.of(load(p));
    }

    public static Scenario load(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": " + e.getMessage(), e);
        }
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(text, file.toString(), base);
    }

    public static Scenario parse(String yaml, String file, String defaultName) throws ScenarioException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new ScenarioException(file + ": invalid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ScenarioException(file + ": expected a mapping at the top");
        String where = file;
        allowOnly(root, Set.of("name", "description", "uas", "steps", "settle"), where);
        String name = root.path("name").asText(defaultName);
        List<UaSpec> uas = uas(root.path("uas"), file);
        List<Step> steps = new ArrayList<>();
        JsonNode s = root.path("steps");
        if (!s.isArray() || s.isEmpty()) throw new ScenarioException(file + ": 'steps' must be a non-empty list");
        for (int i = 0; i < s.size(); i++) steps.add(step(s.get(i), i + 1, file, uas));
        long settle = number(root, "settle", DEFAULT_SETTLE_MS, where);
        return new Scenario(name, root.path("description").asText(""), file, List.copyOf(uas), List.copyOf(steps), settle);
    }

    private static List<UaSpec> uas(JsonNode n, String file) throws ScenarioException {
        if (!n.isObject() || n.isEmpty()) throw new ScenarioException(file + ": 'uas' must map UA names to {addr: ip:port}");
        List<UaSpec> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = file + ": ua " + e.getKey();
            if (e.getKey().equals("proxy")) throw new ScenarioException(where + ": 'proxy' is reserved");
            JsonNode u = e.getValue();
            allowOnly(u, Set.of("addr", "transport", "answer"), where);
            String addr = u.path("addr").asText("");
            int colon = addr.lastIndexOf(':');
            if (colon <= 0) throw new ScenarioException(where + ": addr must be ip:port, got '" + addr + "'");
            int port;
            try {
                port = Integer.parseInt(addr.substring(colon + 1));
            } catch (NumberFormatException ex) {
                throw new ScenarioException(where + ": bad port in '" + addr + "'");
            }
            Protocol proto;
            try {
                proto = Protocol.parse(u.path("transport").asText("udp"));
            } catch (IllegalArgumentException ex) {
                throw new ScenarioException(where + ": unknown transport '" + u.path("transport").asText() + "'");
            }
            if (proto != Protocol.UDP && proto != Protocol.TCP) throw new ScenarioException(where + ": transport must be udp or tcp");
            out.add(new UaSpec(e.getKey(), addr.substring(0, colon), port, proto, answer(u.get("answer"), where)));
        }
        return out;
    }

    private static AnswerRules answer(JsonNode a, String where) throws ScenarioException {
        if (a == null || a.isNull()) return null;
        allowOnly(a, Set.of("invite", "delay", "other", "sdp"), where + ": answer");
        List<Integer> codes = new ArrayList<>();
        JsonNode inv = a.path("invite");
        if (inv.isInt()) codes.add(inv.asInt());
        else if (inv.isArray()) for (JsonNode c : inv) codes.add(code(c, where));
        else if (!inv.isMissingNode()) throw new ScenarioException(where + ": answer.invite must be a code or a list of codes");
        int other = (int) number(a, "other", 200, where);
        return new AnswerRules(List.copyOf(codes), number(a, "delay", 0, where), other, a.path("sdp").asBoolean(true));
    }

    private static int code(JsonNode c, String where) throws ScenarioException {
        if (!c.canConvertToInt() || c.asInt() < 100 || c.asInt() > 699) throw new ScenarioException(where + ": bad response code " + c);
        return c.asInt();
    }

    private static Step step(JsonNode n, int index, String file, List<UaSpec> uas) throws ScenarioException {
        String where = file + ": step " + index;
        if (!n.isObject()) throw new ScenarioException(where + ": expected a mapping");
        if (n.has("send")) {
            allowOnly(n, Set.of("send", "msg"), where);
            String ua = uaName(n.path("send"), uas, where);
            String msg = n.path("msg").asText("");
            if (msg.isBlank()) throw new ScenarioException(where + ": send needs 'msg' (the SIP message template)");
            return new Step.Send(index, ua, msg);
        }
        if (n.has("expect")) {
            allowOnly(n, Set.of("expect", "match", "timeout", "optional"), where);
            String ua = uaName(n.path("expect"), uas, where);
            String match = n.path("match").asText("");
            if (!Matcher.valid(match)) throw new ScenarioException(where + ": match must be a method, a code, a class like 2xx, or any; got '" + match + "'");
            return new Step.Expect(index, ua, match, number(n, "timeout", DEFAULT_TIMEOUT_MS, where), n.path("optional").asBoolean(false));
        }
        if (n.has("wait")) {
            allowOnly(n, Set.of("wait"), where);
            return new Step.Wait(index, number(n, "wait", 0, where));
        }
        if (n.has("lose")) {
            allowOnly(n, Set.of("lose", "count"), where);
            return new Step.Lose(index, uaName(n.path("lose"), uas, where), (int) number(n, "count", 1, where));
        }
        throw new ScenarioException(where + ": expected one of send, expect, wait, lose");
    }

    private static String uaName(JsonNode n, List<UaSpec> uas, String where) throws ScenarioException {
        String name = n.asText("");
        for (UaSpec u : uas) if (u.name().equals(name)) return name;
        throw new ScenarioException(where + ": unknown ua '" + name + "'");
    }

    private static long number(JsonNode parent, String key, long dflt, String where) throws ScenarioException {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.canConvertToLong() || v.asLong() < 0) throw new ScenarioException(where + ": '" + key + "' must be a non-negative number");
        return v.asLong();
    }

    private static void allowOnly(JsonNode n, Set<String> keys, String where) throws ScenarioException {
        if (!n.isObject()) throw new ScenarioException(where + ": expected a mapping");
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!keys.contains(k)) throw new ScenarioException(where + ": unknown key '" + k + "' (allowed: " + String.join(", ", keys.stream().sorted().toList()) + ")");
        }
    }

    /** Matches received messages against an expect step's {@code match}. */
    static final class Matcher {
        private Matcher() {}

        static boolean valid(String match) {
            return match.matches("[1-6][0-9][0-9]|[1-6]xx|[A-Za-z]+");
        }

        static boolean matches(String match, SipText m) {
            if (match.equalsIgnoreCase("any")) return true;
            if (match.matches("[1-6]xx")) return m.isResponse() && m.status() / 100 == match.charAt(0) - '0';
            if (match.matches("[0-9]+")) return m.isResponse() && m.status() == Integer.parseInt(match);
            return !m.isResponse() && m.method().equalsIgnoreCase(match);
        }
    }
}
