package dev.kemi.runtime.compare;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forgiving, read-only view of one SIP message as text, for the harness's user agents and the
 * report. Deliberately independent of the proxy's parser: the harness must still work (and show
 * what was sent) when the message under test is malformed.
 */
public final class SipText {
    private static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to", "i", "call-id",
            "m", "contact", "l", "content-length", "c", "content-type", "k", "supported", "s", "subject");

    private final String text;
    private final String firstLine;
    private final List<String[]> headers = new ArrayList<>();
    private final String body;

    private SipText(String text) {
        this.text = text;
        int sep = text.indexOf("\r\n\r\n");
        int sepLen = 4;
        if (sep < 0) {
            sep = text.indexOf("\n\n");
            sepLen = 2;
        }
        String head = sep < 0 ? text : text.substring(0, sep);
        this.body = sep < 0 ? "" : text.substring(sep + sepLen);
        String[] lines = head.split("\r?\n");
        this.firstLine = lines.length > 0 ? lines[0] : "";
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if ((l.startsWith(" ") || l.startsWith("\t")) && !headers.isEmpty()) {
                String[] last = headers.get(headers.size() - 1);
                last[1] = last[1] + " " + l.trim();
                continue;
            }
            int c = l.indexOf(':');
            if (c <= 0) continue;
            headers.add(new String[] {l.substring(0, c).trim(), l.substring(c + 1).trim()});
        }
    }

    public static SipText parse(byte[] bytes) {
        return new SipText(new String(bytes, StandardCharsets.UTF_8));
    }

    public static SipText parse(String text) {
        return new SipText(text);
    }

    public String text() {
        return text;
    }

    public String firstLine() {
        return firstLine;
    }

    public String body() {
        return body;
    }

    public boolean isResponse() {
        return firstLine.startsWith("SIP/");
    }

    /** Request method, or the CSeq method for a response. */
    public String method() {
        if (!isResponse()) {
            int sp = firstLine.indexOf(' ');
            return sp < 0 ? firstLine : firstLine.substring(0, sp);
        }
        String cseq = header("CSeq");
        if (cseq == null) return "";
        String[] p = cseq.trim().split("\\s+");
        return p.length > 1 ? p[1] : "";
    }

    /** Status code of a response; 0 for a request or an unparsable status line. */
    public int status() {
        if (!isResponse()) return 0;
        String[] p = firstLine.split(" ", 3);
        try {
            return p.length > 1 ? Integer.parseInt(p[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public String requestUri() {
        String[] p = firstLine.split(" ");
        return !isResponse() && p.length > 1 ? p[1] : null;
    }

    /** "INVITE" for requests, "180 Ringing" for responses: the arrow label of a ladder. */
    public String summary() {
        if (isResponse()) {
            int sp = firstLine.indexOf(' ');
            return sp < 0 ? firstLine : firstLine.substring(sp + 1);
        }
        return method().isEmpty() ? "(unparsable)" : method();
    }

    /** First value of a header (long or compact name), or null. */
    public String header(String name) {
        for (String[] h : headers) if (sameName(h[0], name)) return h[1];
        return null;
    }

    /** Every value of a header, comma-separated values split (Via, Route, Record-Route ...). */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) if (sameName(h[0], name)) out.addAll(splitValues(h[1]));
        return out;
    }

    /** Header lines "Name: value" exactly as received, for [last_X:]-style copying. */
    public List<String> headerLines(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) if (sameName(h[0], name)) out.add(h[0] + ": " + h[1]);
        return out;
    }

    /** The value of ;name=value in a header value (outside the angle brackets), or null. */
    public static String param(String headerValue, String name) {
        if (headerValue == null) return null;
        int gt = headerValue.lastIndexOf('>');
        String params = gt >= 0 ? headerValue.substring(gt + 1) : headerValue;
        for (String p : params.split(";")) {
            int eq = p.indexOf('=');
            String k = (eq < 0 ? p : p.substring(0, eq)).trim();
            if (k.equalsIgnoreCase(name)) return eq < 0 ? "" : p.substring(eq + 1).trim();
        }
        return null;
    }

    /** The URI of a name-addr or addr-spec ("<sip:a@b>;tag=x" -> "sip:a@b"). */
    public static String uriOf(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        int gt = nameAddr.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) return nameAddr.substring(lt + 1, gt);
        int semi = nameAddr.indexOf(';');
        return (semi < 0 ? nameAddr : nameAddr.substring(0, semi)).trim();
    }

    static boolean sameName(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(n, n);
    }

    /** Splits a header value at commas outside quotes and angle brackets. */
    static List<String> splitValues(String v) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '"' && (i == 0 || v.charAt(i - 1) != '\\')) quoted = !quoted;
            else if (!quoted && ch == '<') depth++;
            else if (!quoted && ch == '>') depth--;
            else if (!quoted && depth == 0 && ch == ',') {
                out.add(v.substring(start, i).trim());
                start = i + 1;
            }
        }
        String last = v.substring(start).trim();
        if (!last.isEmpty()) out.add(last);
        return out;
    }
}
