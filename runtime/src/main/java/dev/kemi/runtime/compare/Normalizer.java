package dev.kemi.runtime.compare;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites what legitimately differs between two runs so that only behaviour remains: Via branch
 * ids, tags and Call-IDs the proxy generated (numbered in order of first appearance, so the
 * structure still counts: a CANCEL must reuse its INVITE's branch), CSeq numbers of requests the
 * proxy generated itself, Server/User-Agent values, Date, and Content-Length as a consequence.
 * Values a UA generated are deterministic and stay as they are.
 */
final class Normalizer {
    /** Via branch, tags, and Kamailio's Via ;i= (TCP connection id) */
    private static final Pattern PARAM = Pattern.compile("(;\\s*(branch|tag|i)\\s*=\\s*)([^;,\\s>]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CALL_ID = Pattern.compile("(?im)^((?:call-id|i)\\s*:\\s*)(\\S+)");
    private static final Pattern CSEQ = Pattern.compile("(?im)^(cseq\\s*:\\s*)(\\d+)");
    private static final Pattern PRODUCT = Pattern.compile("(?im)^(server|user-agent)(\\s*:).*$");
    private static final Pattern DATE = Pattern.compile("(?im)^(date\\s*:).*$");
    private static final Pattern LENGTH = Pattern.compile("(?im)^((?:content-length|l)\\s*:\\s*)(\\d+)\\s*$");

    private final Map<String, String> generated = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Integer> counters = new HashMap<>();

    private Normalizer() {}

    /** Normalised text of every event of the trace, index for index (notes unchanged). */
    static List<String> normalize(Trace trace) {
        return normalize(trace, List.of());
    }

    /**
     * As {@link #normalize(Trace)}, numbering generated values in the order of the events listed
     * in {@code numberFirst} (the order the comparison walks), then the rest.
     */
    static List<String> normalize(Trace trace, List<Integer> numberFirst) {
        Normalizer n = new Normalizer();
        List<TraceEvent> ev = trace.runTag().isEmpty() ? trace.events() : trace.events().stream()
                .map(e -> new TraceEvent(e.kind(), e.atMs(), e.from(), e.to(), e.target(), e.socket(), e.text().replace(trace.runTag(), "")))
                .toList();
        // which values did the proxy generate? those it sent before any UA did (trace order is causal)
        for (TraceEvent e : ev) if (e.kind() != TraceEvent.Kind.NOTE) n.classify(e.text(), e.sentByProxy());
        for (int i : numberFirst) n.number(ev.get(i).text());
        for (TraceEvent e : ev) if (e.kind() != TraceEvent.Kind.NOTE) n.number(e.text());
        List<String> out = new ArrayList<>();
        for (TraceEvent e : ev) out.add(e.kind() == TraceEvent.Kind.NOTE ? e.text() : n.rewrite(e.text(), e.sentByProxy()));
        return out;
    }

    private void classify(String text, boolean byProxy) {
        for (String[] kv : values(text)) {
            if (seen.add(kv[1]) && byProxy) generated.put(kv[1], null);
        }
    }

    private void number(String text) {
        for (String[] kv : values(text)) {
            if (generated.containsKey(kv[1]) && generated.get(kv[1]) == null) {
                generated.put(kv[1], "<" + kv[0] + "-" + counters.merge(kv[0], 1, Integer::sum) + ">");
            }
        }
    }

    /** (kind, value) of every branch, tag and Call-ID in the message head, in text order. */
    private static List<String[]> values(String text) {
        String head = head(text);
        List<String[]> out = new ArrayList<>();
        Matcher m = PARAM.matcher(head);
        while (m.find()) out.add(new String[] {m.group(2).toLowerCase(), m.group(3)});
        Matcher c = CALL_ID.matcher(head);
        while (c.find()) out.add(new String[] {"callid", c.group(2)});
        return out;
    }

    private String rewrite(String text, boolean byProxy) {
        String head = head(text);
        String body = text.substring(head.length());
        String bodyStart = body.startsWith("\r\n\r\n") ? "\r\n\r\n" : body.startsWith("\n\n") ? "\n\n" : "";
        String bodyText = body.substring(bodyStart.length());
        boolean localCallId = false;
        Matcher c = CALL_ID.matcher(head);
        if (c.find() && generated.containsKey(c.group(2))) localCallId = true;
        head = replace(PARAM, head, m -> m.group(1) + generated.getOrDefault(m.group(3), m.group(3)));
        head = replace(CALL_ID, head, m -> m.group(1) + generated.getOrDefault(m.group(2), m.group(2)));
        if (localCallId && byProxy) head = replace(CSEQ, head, m -> m.group(1) + "<cseq>");
        head = replace(PRODUCT, head, m -> m.group(1) + m.group(2) + " <product>");
        head = replace(DATE, head, m -> m.group(1) + " <date>");
        int actual = bodyText.getBytes(StandardCharsets.UTF_8).length;
        head = replace(LENGTH, head, m -> m.group(1) + (Integer.parseInt(m.group(2)) == actual
                ? Integer.toString(actual) : m.group(2) + " (body has " + actual + " bytes)"));
        return head + bodyStart + bodyText;
    }

    private static String head(String text) {
        int i = text.indexOf("\r\n\r\n");
        if (i < 0) i = text.indexOf("\n\n");
        return i < 0 ? text : text.substring(0, i);
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
        m.appendTail(sb);
        return sb.toString();
    }
}
