package dev.kemi.runtime.core;

import dev.kemi.runtime.sip.HeaderNames;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers a request that could not be parsed, when its request line and top Via can still be
 * read: "400 reason" (or the more specific code of the error) with Via, From, To, Call-ID and
 * CSeq copied as received (RFC 3261 §8.2.6.2), sent to the request's sender.
 */
final class BadRequestReply {
    private static final String TAG = "kemi-bad-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());

    private BadRequestReply() {}

    /** True if a reply was sent. */
    static boolean send(byte[] data, ReceiveInfo from, int code, String reason, ProxyServices services) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\n');
        if (eol < 0) return false;
        String[] first = text.substring(0, eol).trim().split(" ");
        if (first.length != 3 || !first[2].startsWith("SIP/") || first[0].startsWith("SIP/") || first[0].equals("ACK")) {
            return false;
        }
        StringBuilder copied = new StringBuilder();
        String topVia = null;
        for (String line : unfoldedHeaders(text, eol + 1)) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String name = HeaderNames.canonical(line.substring(0, colon));
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "via" -> {
                    if (topVia == null) topVia = firstValue(value);
                    copied.append(line).append("\r\n");
                }
                case "to" -> copied.append(line).append(value.contains(";tag=") ? "" : ";tag=" + TAG).append("\r\n");
                case "from", "call-id", "cseq" -> copied.append(line).append("\r\n");
                default -> { }
            }
        }
        if (topVia == null) return false;
        Via via;
        try {
            via = Via.parse(topVia);
        } catch (SipParseException | RuntimeException e) {
            return false;
        }
        StringBuilder r = new StringBuilder(256 + copied.length());
        r.append("SIP/2.0 ").append(code).append(' ').append(phrase(reason)).append("\r\n").append(copied);
        String server = StatelessReply.serverHeader(services);
        if (server != null) r.append(server).append("\r\n");
        r.append("Content-Length: 0\r\n\r\n");
        Destination to = ResponseRouting.toSender(from, via, false, false, false);
        return services.sender().send(to, r.toString().getBytes(StandardCharsets.ISO_8859_1), null);
    }

    /** Header lines up to the empty line, continuation lines joined. */
    private static java.util.List<String> unfoldedHeaders(String text, int from) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = from;
        while (i < text.length()) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) eol = text.length();
            String line = text.substring(i, eol);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) break;
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + line.trim());
            } else {
                out.add(line);
            }
            i = eol + 1;
        }
        return out;
    }

    private static String firstValue(String viaValue) {
        int comma = viaValue.indexOf(',');
        return (comma < 0 ? viaValue : viaValue.substring(0, comma)).trim();
    }

    /** A reason phrase fit for the status line: printable, one line, not too long. */
    private static String phrase(String reason) {
        String r = reason == null || reason.isBlank() ? "Bad Request" : reason.replaceAll("[\\x00-\\x1f\\x7f]", " ").trim();
        return r.length() > 120 ? r.substring(0, 120) : r;
    }
}
