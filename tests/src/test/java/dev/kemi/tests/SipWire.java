package dev.kemi.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A received message as text, read independently of the proxy's own parser so tests check the
 * wire, not the parser against itself: first line, headers (compact names expanded), body.
 */
public record SipWire(String firstLine, List<String[]> headerFields, String body, String text) {

    public static SipWire parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        String[] lines = head.split("\r\n");
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if ((l.startsWith(" ") || l.startsWith("\t")) && !fields.isEmpty()) {
                String[] last = fields.getLast();
                last[1] = last[1] + " " + l.trim();
                continue;
            }
            int c = l.indexOf(':');
            if (c < 0) throw new AssertionError("not a header line: '" + l + "' in\n" + text);
            fields.add(new String[] {longName(l.substring(0, c).trim()), l.substring(c + 1).trim()});
        }
        return new SipWire(lines[0], fields, body, text);
    }

    public boolean isResponse() {
        return firstLine.startsWith("SIP/2.0 ");
    }

    /** Status code of a response. */
    public int status() {
        if (!isResponse()) throw new AssertionError("not a response: " + firstLine);
        return Integer.parseInt(firstLine.split(" ")[1]);
    }

    /** Reason phrase of a response. */
    public String reason() {
        String[] p = firstLine.split(" ", 3);
        return p.length > 2 ? p[2] : "";
    }

    /** Request method. */
    public String method() {
        return firstLine.split(" ")[0];
    }

    /** First value of the header (any spelling, compact forms too), or null. */
    public String header(String name) {
        List<String> all = headers(name);
        return all.isEmpty() ? null : all.getFirst();
    }

    /** Every field of that name, in order (one entry per header line). */
    public List<String> headers(String name) {
        String n = longName(name);
        List<String> out = new ArrayList<>();
        for (String[] f : headerFields) if (f[0].equals(n)) out.add(f[1]);
        return out;
    }

    /** Value of a ;name=value parameter in a header value, "" for a flag, null if absent. */
    public static String param(String headerValue, String name) {
        for (String part : headerValue.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            String n = eq < 0 ? p : p.substring(0, eq).trim();
            if (n.equalsIgnoreCase(name)) return eq < 0 ? "" : p.substring(eq + 1).trim();
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }

    private static String longName(String n) {
        String l = n.toLowerCase(Locale.ROOT);
        return switch (l) {
            case "v" -> "via";
            case "f" -> "from";
            case "t" -> "to";
            case "i" -> "call-id";
            case "m" -> "contact";
            case "l" -> "content-length";
            case "c" -> "content-type";
            case "k" -> "supported";
            default -> l;
        };
    }
}
