package dev.kemi.runtime.modules.registrar;

import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Contact headers of a REGISTER as the registrar checks them (parse_message +
 * check_contacts): a lone "*", or bindings with their expires, q, received, +sip.instance,
 * reg-id and methods parameters.
 */
final class RegContacts {
    /** One binding of the request; a parameter given without a value is "". */
    record Entry(String uri, String expires, String q, String received, String instance, String regId, String methods) {}

    final boolean star;
    final List<Entry> entries;

    private RegContacts(boolean star, List<Entry> entries) {
        this.star = star;
        this.entries = entries;
    }

    /** firstUri: the first Contact's URI as nathelper rewrote it (null: as received). */
    static RegContacts parse(SipMessage msg, int expiresHeader, int maxUriSize, String firstUri) throws RegError.Failure {
        List<String> headers = msg.headers("Contact");
        List<Entry> entries = new ArrayList<>();
        boolean firstStar = false;
        for (int h = 0; h < headers.size(); h++) {
            List<String> values = split(headers.get(h));
            if (values.isEmpty()) throw new RegError.Failure(RegError.PARSE_CONT);
            boolean star = values.size() == 1 && "*".equals(values.get(0));
            if (h == 0 && star) {
                firstStar = true;
                continue;
            }
            if (firstStar || star) throw new RegError.Failure(RegError.STAR_CONT);
            for (String v : values) {
                if ("*".equals(v)) throw new RegError.Failure(RegError.PARSE_CONT);
                NameAddr na;
                try {
                    na = NameAddr.parse(v);
                } catch (SipParseException e) {
                    throw new RegError.Failure(RegError.PARSE_CONT);
                }
                Map<String, String> p = na.params();
                String uri = firstUri != null && entries.isEmpty() && h == 0 ? firstUri : na.uri();
                Entry e = new Entry(uri, p.get("expires"), p.get("q"), unquote(p.get("received")),
                        unquote(p.get("+sip.instance")), p.get("reg-id"), unquote(p.get("methods")));
                if (e.uri.length() > maxUriSize) throw new RegError.Failure(RegError.CONTACT_LEN);
                if (e.received != null && e.received.length() > 255) throw new RegError.Failure(RegError.CONTACT_LEN);
                entries.add(e);
            }
        }
        if (firstStar && expiresHeader != 0) throw new RegError.Failure(RegError.STAR_EXP);
        return new RegContacts(firstStar, entries);
    }

    private static String unquote(String v) {
        if (v != null && v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Splits a header value at commas outside quotes and angle brackets. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>(2);
        boolean quoted = false;
        int depth = 0;
        int seg = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? ',' : s.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                depth++;
            } else if (c == '>') {
                if (depth > 0) depth--;
            } else if (c == ',' && (depth == 0 || i == s.length())) {
                String part = s.substring(seg, Math.min(i, s.length())).strip();
                if (part.isEmpty()) return List.of();
                out.add(part);
                seg = i + 1;
            }
        }
        return out;
    }
}
