package dev.kemi.runtime.compare;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a message template into wire text: substitutes ${...} variables, drops lines that were
 * only a variable expanding to nothing (an empty ${routes}), writes CRLF line ends, and fills
 * Content-Length (${len}, or a header added when the template has none).
 */
final class TemplateRenderer {
    private static final Pattern VAR = Pattern.compile("\\$\\{([^}]+)}");

    private TemplateRenderer() {}

    /** @param vars resolves a variable name; throws IllegalArgumentException for an unknown one */
    static String render(String template, Function<String, String> vars) {
        List<String> head = new ArrayList<>();
        List<String> body = new ArrayList<>();
        boolean inBody = false;
        List<String> lines = template.strip().lines().toList();
        for (String raw : lines) {
            if (!inBody && raw.isBlank()) {
                inBody = true;
                continue;
            }
            String line = inBody ? raw : raw.strip();
            if (!line.contains("${len}")) {
                String expanded = substitute(line, vars);
                if (expanded.isEmpty() && !line.isEmpty()) continue;
                line = expanded;
            }
            (inBody ? body : head).add(line);
        }
        String bodyText = body.isEmpty() ? "" : String.join("\r\n", body) + "\r\n";
        String len = Integer.toString(bodyText.getBytes(StandardCharsets.UTF_8).length);
        boolean hasLength = false;
        StringBuilder out = new StringBuilder();
        for (String h : head) {
            String name = h.contains(":") ? h.substring(0, h.indexOf(':')).trim() : "";
            if (SipText.sameName(name, "Content-Length")) hasLength = true;
            if (h.contains("${len}")) h = substitute(h.replace("${len}", len), vars);
            for (String l : h.split("\r?\n")) out.append(l).append("\r\n");
        }
        if (!hasLength) out.append("Content-Length: ").append(len).append("\r\n");
        return out.append("\r\n").append(bodyText).toString();
    }

    private static String substitute(String line, Function<String, String> vars) {
        Matcher m = VAR.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(vars.apply(m.group(1).trim())));
        m.appendTail(sb);
        return sb.toString();
    }
}
