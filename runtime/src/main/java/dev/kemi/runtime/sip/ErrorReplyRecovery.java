package dev.kemi.runtime.sip;

import java.util.ArrayList;
import java.util.List;

/**
 * Salvages, from a datagram the parser rejected, the fields a stateless error reply needs: the
 * method, the Via fields (the top one must parse, the reply goes there), From, To, Call-ID and
 * CSeq. Everything else, including malformed unrelated lines, is ignored.
 */
final class ErrorReplyRecovery {
    private ErrorReplyRecovery() {}

    static SipMessage recover(byte[] data) {
        if (data == null || data.length > SipMessage.MAX_MESSAGE_SIZE) return null;
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        List<String> lines = logicalLines(text);
        if (lines.isEmpty()) return null;
        List<String> first = words(lines.get(0));
        if (first.size() < 2 || first.get(0).regionMatches(true, 0, "SIP/", 0, 4)) return null;
        String method = first.get(0);
        if (!Chars.isTokenString(method) || method.equals("ACK")) return null;
        String uri = first.get(1);
        if (!uriLooksValid(uri)) uri = "sip:invalid.invalid";
        List<String> kept = new ArrayList<>();
        String topVia = null;
        boolean from = false, to = false, callId = false, cseq = false;
        for (int k = 1; k < lines.size(); k++) {
            String line = lines.get(k);
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String name = line.substring(0, colon).trim();
            if (!Chars.isTokenString(name)) continue;
            String value = line.substring(colon + 1).trim();
            switch (HeaderNames.id(name)) {
                case HeaderNames.VIA -> {
                    if (topVia == null) topVia = value;
                    kept.add("Via: " + value);
                }
                case HeaderNames.FROM -> from = keep(kept, "From", value, from);
                case HeaderNames.TO -> to = keep(kept, "To", value, to);
                case HeaderNames.CALL_ID -> callId = keep(kept, "Call-ID", value, callId);
                case HeaderNames.CSEQ -> cseq = keep(kept, "CSeq", value, cseq);
                default -> { }
            }
        }
        if (topVia == null || !from || !to || !callId || !cseq) return null;
        try {
            List<String> vs = ValueLists.split(topVia);
            if (vs.isEmpty()) return null;
            Via.parse(vs.get(0));
            return SipMessage.parse((method + " " + uri + " SIP/2.0\r\n" + String.join("\r\n", kept)
                    + "\r\nContent-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (SipParseException e) {
            return null;
        }
    }

    private static boolean keep(List<String> kept, String name, String value, boolean seen) {
        if (!seen) kept.add(name + ": " + value);
        return true;
    }

    private static boolean uriLooksValid(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0 || colon == uri.length() - 1 || !SipUri.isScheme(uri, colon)) return false;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '<' || c == '>' || c == '"') return false;
        }
        return true;
    }

    /** Blank-separated words of a line. */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>(3);
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Chars.isWsp(line.charAt(i))) i++;
            int s = i;
            while (i < n && !Chars.isWsp(line.charAt(i))) i++;
            if (i > s) out.add(line.substring(s, i));
        }
        return out;
    }

    /** Lines with folding undone, leading blank lines skipped; stops after the first empty line. */
    private static List<String> logicalLines(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) i++;
        while (i < n && out.size() <= SipMessage.MAX_HEADERS + 1) {
            int lf = text.indexOf('\n', i);
            int next = lf < 0 ? n : lf + 1;
            int e = lf < 0 ? n : lf;
            if (e > i && text.charAt(e - 1) == '\r') e--;
            String l = text.substring(i, e);
            i = next;
            if (l.isEmpty()) {
                out.add("");
                break;
            }
            if (Chars.isWsp(l.charAt(0)) && out.size() > 1) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + l.trim());
            } else {
                out.add(l);
            }
        }
        return out;
    }
}
