package dev.kemi.runtime.modules.textops;

import java.util.Locale;

/**
 * Kamailio's textops multipart-body text rules (generate_boundary, the part lookups of
 * filter_body / remove_body_part / get_body_part): line-based, CRLF only, a part found by its
 * "Content-Type:" line whose value is exactly the wanted type.
 */
final class MultipartBody {
    static final String DEFAULT_BOUNDARY = "unique-boundary-1";

    private MultipartBody() {}

    /** The boundary parameter of a Content-Type value (quotes removed), or null. */
    static String boundary(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        if (semi < 0) return null;
        for (String p : contentType.substring(semi + 1).split(";")) {
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).strip().equalsIgnoreCase("boundary")) continue;
            String v = p.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            return v;
        }
        return null;
    }

    static boolean isMixed(String contentType) {
        return contentType != null && contentType.split(";")[0].strip().equalsIgnoreCase("multipart/mixed");
    }

    /** One part: [--delimiter CRLF] Content-Type, [Content-Disposition], CRLF, text [CRLF], --delimiter CRLF. */
    static String part(String text, String contentType, String disposition, String delimiter, boolean initial) {
        StringBuilder b = new StringBuilder();
        if (initial) b.append("--").append(delimiter).append("\r\n");
        b.append("Content-Type: ").append(contentType).append("\r\n");
        if (disposition != null && !disposition.isEmpty()) b.append("Content-Disposition: ").append(disposition).append("\r\n");
        b.append("\r\n").append(text);
        if (!text.endsWith("\r\n\r\n")) b.append("\r\n");
        return b.append("--").append(delimiter).append("\r\n").toString();
    }

    /** Where a part's "Content-Type: type" line is in a body and the boundary line after it. */
    record Found(int lineStart, int afterType, int boundaryLine, int afterBoundaryLine) {}

    /**
     * The first part whose Content-Type line's value is type followed by CRLF, with the next line
     * starting with boundary ("--" + delimiter); null if none (or a line too short, as Kamailio stops there).
     */
    static Found find(String body, String type, String boundary) {
        int pos = 0;
        while (pos < body.length()) {
            int eol = body.indexOf("\r\n", pos);
            if (eol < 0) return null;
            int value = contentTypeValue(body, pos, eol);
            if (value >= 0) {
                if (body.length() - value <= type.length() + 2) return null;
                if (body.regionMatches(true, value, type, 0, type.length())) {
                    int afterType = value + type.length();
                    if (!body.startsWith("\r\n", afterType)) return null;
                    afterType += 2;
                    int b = lineStarting(body, afterType, boundary);
                    if (b < 0) return null;
                    int e = body.indexOf("\r\n", b + boundary.length());
                    int after = e < 0 ? body.length() : e + 2;
                    return new Found(pos, afterType, b, after);
                }
            }
            pos = eol + 2;
        }
        return null;
    }

    /** Start of the value of a Content-Type (or compact "c") header line, -1 if the line is not one. */
    private static int contentTypeValue(String body, int start, int eol) {
        int colon = body.indexOf(':', start);
        if (colon < 0 || colon > eol) return -1;
        String name = body.substring(start, colon).strip().toLowerCase(Locale.ROOT);
        if (!name.equals("content-type") && !name.equals("c")) return -1;
        int v = colon + 1;
        while (v < eol && (body.charAt(v) == ' ' || body.charAt(v) == '\t')) v++;
        return v == eol ? -1 : v;
    }

    private static int lineStarting(String body, int from, String text) {
        int pos = from;
        while (pos < body.length()) {
            if (body.startsWith(text, pos)) return pos;
            int eol = body.indexOf("\r\n", pos);
            if (eol < 0) return -1;
            pos = eol + 2;
        }
        return -1;
    }

    /**
     * What Kamailio does to a multipart-flagged request's body when it sends it (check_boundaries):
     * from the first boundary line on, each part opened by exactly "--delimiter" CRLF and the body
     * closed by "--delimiter--" CRLF; text before the first and after the last boundary line goes.
     * Null (left as is) with fewer than two boundary lines.
     */
    static String normalize(String body, String delimiter) {
        String open = "--" + delimiter;
        java.util.List<Integer> lines = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < body.length()) {
            if (body.startsWith(open, pos)) lines.add(pos);
            int eol = body.indexOf("\r\n", pos);
            if (eol < 0) break;
            pos = eol + 2;
        }
        if (lines.size() < 2) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < lines.size(); i++) {
            int line = lines.get(i);
            int end = lineEnd(body, line);
            if (body.substring(line, end).equals(open + "\r\n")) b.append(body, line, lines.get(i + 1));
            else b.append(open).append("\r\n").append(body, end, lines.get(i + 1));
        }
        // Kamailio checks its first boundary line here, so the close is nearly always rewritten
        String first = body.substring(lines.get(0), lineEnd(body, lines.get(0)));
        return b.append(first.equals(open + "--\r\n") ? first : open + "--\r\n").toString();
    }

    private static int lineEnd(String body, int line) {
        int eol = body.indexOf("\r\n", line);
        return eol < 0 ? body.length() : eol + 2;
    }

    /** Hex text (spaces and tabs between bytes ignored) as bytes in a Latin-1 string; null if invalid or empty. */
    static String unhex(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (c == ' ' || c == '\t') continue;
            if (i + 1 == hex.length()) return null;
            int hi = Character.digit(c, 16);
            int lo = Character.digit(hex.charAt(++i), 16);
            if (hi < 0 || lo < 0) return null;
            b.append((char) (hi << 4 | lo));
        }
        return b.isEmpty() ? null : b.toString();
    }
}
