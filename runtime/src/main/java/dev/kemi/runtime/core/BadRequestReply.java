package dev.kemi.runtime.core;

import dev.kemi.runtime.sip.HeaderNames;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers a request that could not be parsed, when its request line and top Via can still be
 * read: "400 reason" (or the more specific code of the error) with Via, From, To, Call-ID and
 * CSeq copied as received (RFC 3261 §8.2.6.2), sent to the request's sender. Works on the raw
 * text because the parser gave up on the message.
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
        List<String[]> kept = new ArrayList<>(); // {canonical name, value}
        for (String line : unfoldedHeaders(text, eol + 1)) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String name = HeaderNames.canonical(line.substring(0, colon));
            if (name.matches("via|from|to|call-id|cseq")) kept.add(new String[] {name, line.substring(colon + 1).trim()});
        }
        String[] firstVia = kept.stream().filter(h -> h[0].equals("via")).findFirst().orElse(null);
        if (firstVia == null) return false;
        int comma = firstVia[1].indexOf(',');
        Via via;
        try {
            via = Via.parse((comma < 0 ? firstVia[1] : firstVia[1].substring(0, comma)).trim());
        } catch (SipParseException | RuntimeException e) {
            return false;
        }
        StringBuilder r = new StringBuilder(512);
        r.append("SIP/2.0 ").append(code).append(' ').append(phrase(reason)).append("\r\n");
        for (String[] h : kept) {
            String value = h[1];
            if (h == firstVia) value = stamped(via, from) + (comma < 0 ? "" : value.substring(comma));
            else if (h[0].equals("to") && !value.contains(";tag=")) value += ";tag=" + TAG;
            r.append(displayName(h[0])).append(": ").append(value).append("\r\n");
        }
        String server = StatelessReply.serverHeader(services);
        if (server != null) r.append(server).append("\r\n");
        r.append("Content-Length: 0\r\n\r\n");
        Destination to = ResponseRouting.toSender(from, via, false, false, false);
        return services.sender().send(to, r.toString().getBytes(StandardCharsets.ISO_8859_1), null);
    }

    /** The top Via value with received= and rport= set as {@link ResponseRouting#stampTopVia} does. */
    private static String stamped(Via via, ReceiveInfo from) {
        String v = via.text().replaceAll("(?i);\\s*(rport|received)(=[^;,]*)?", "");
        if (ResponseRouting.needsReceived(from, via)) v += ";received=" + from.sourceIp();
        if (via.rport() >= 0) v += ";rport=" + from.source().getPort();
        return v;
    }

    private static String displayName(String canonical) {
        return switch (canonical) {
            case "via" -> "Via";
            case "from" -> "From";
            case "to" -> "To";
            case "call-id" -> "Call-ID";
            default -> "CSeq";
        };
    }

    /** Header lines up to the empty line, continuation lines joined. */
    private static List<String> unfoldedHeaders(String text, int from) {
        List<String> out = new ArrayList<>();
        int i = from;
        while (i < text.length()) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) eol = text.length();
            String line = text.substring(i, eol);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) break;
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !out.isEmpty()) {
                out.set(out.size() - 1, out.getLast() + " " + line.trim());
            } else {
                out.add(line);
            }
            i = eol + 1;
        }
        return out;
    }

    /** A reason phrase fit for the status line: printable, one line, not too long. */
    private static String phrase(String reason) {
        String r = reason == null || reason.isBlank() ? "Bad Request" : reason.replaceAll("[\\x00-\\x1f\\x7f]", " ").trim();
        return r.length() > 120 ? r.substring(0, 120) : r;
    }
}
