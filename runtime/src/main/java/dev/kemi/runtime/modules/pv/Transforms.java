package dev.kemi.runtime.modules.pv;

import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The common transformations ({s.len}, {uri.user}, {nameaddr.uri}, {param.value,name} ...),
 * compiled once per spec. A failed transformation (e.g. a bad URI) gives null.
 */
final class Transforms {
    private Transforms() {}

    /** @throws IllegalArgumentException for an unknown transformation */
    static UnaryOperator<Object> compile(String tr) {
        String[] p = tr.split(",", -1);
        String name = p[0].trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "s.len" -> v -> str(v).length();
            case "s.tolower" -> v -> str(v).toLowerCase(Locale.ROOT);
            case "s.toupper" -> v -> str(v).toUpperCase(Locale.ROOT);
            case "s.trim" -> v -> str(v).trim();
            case "s.int" -> v -> wholeInt(v);
            case "s.substr" -> {
                int off = Integer.parseInt(p[1].trim());
                int len = Integer.parseInt(p[2].trim());
                yield v -> {
                    String s = str(v);
                    int start = off < 0 ? Math.max(0, s.length() + off) : Math.min(off, s.length());
                    int end = len == 0 ? s.length() : Math.min(s.length(), start + len);
                    return s.substring(start, end);
                };
            }
            case "s.select" -> {
                int idx = Integer.parseInt(p[1].trim());
                String sep = p.length > 2 && !p[2].isEmpty() ? p[2].substring(0, 1) : ",";
                yield v -> {
                    String[] parts = str(v).split(java.util.regex.Pattern.quote(sep), -1);
                    int i = idx < 0 ? parts.length + idx : idx;
                    return i < 0 || i >= parts.length ? null : parts[i];
                };
            }
            case "uri.user" -> uri(u -> u.user() == null ? "" : u.user());
            case "uri.host" -> uri(u -> u.host() == null ? "" : u.host());
            case "uri.port" -> uri(u -> u.port() > 0 ? Integer.toString(u.port()) : "");
            case "uri.scheme" -> uri(SipUri::scheme);
            case "uri.transport" -> uri(u -> u.transport() == null ? "" : u.transport());
            case "uri.params" -> uri(u -> {
                String t = u.text();
                int semi = t.indexOf(';');
                int q = t.indexOf('?');
                return semi < 0 ? "" : t.substring(semi + 1, q > semi ? q : t.length());
            });
            case "uri.param" -> {
                String pn = p[1].trim();
                yield uri(u -> u.param(pn) == null ? "" : u.param(pn));
            }
            case "nameaddr.uri" -> nameaddr(NameAddr::uri);
            case "nameaddr.name" -> nameaddr(n -> n.displayName() == null ? "" : n.displayName());
            case "tobody.uri" -> nameaddr(NameAddr::uri);
            case "tobody.tag" -> nameaddr(n -> n.tag() == null ? "" : n.tag());
            case "tobody.user" -> nameaddr(n -> parseUri(n.uri()) == null ? null : nz(parseUri(n.uri()).user()));
            case "tobody.host" -> nameaddr(n -> parseUri(n.uri()) == null ? null : nz(parseUri(n.uri()).host()));
            case "param.value" -> {
                String pn = p[1].trim();
                String sep = p.length > 2 && !p[2].isEmpty() ? p[2].substring(0, 1) : ";";
                yield v -> {
                    for (String item : str(v).split(java.util.regex.Pattern.quote(sep))) {
                        String[] kv = item.split("=", 2);
                        if (kv[0].trim().equalsIgnoreCase(pn)) return kv.length > 1 ? kv[1].trim() : "";
                    }
                    return "";
                };
            }
            default -> throw new IllegalArgumentException("unknown transformation {" + tr + "}");
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    /** {s.int}: the whole value must be a number (Kamailio's str2sint), else the transformation fails: null. */
    private static Integer wholeInt(Object v) {
        if (v instanceof Integer i) return i;
        String s = str(v);
        int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (start == s.length() && !s.isEmpty()) return null;
        for (int i = start; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return null;
        if (s.isEmpty()) return 0;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

        static Integer toInt(Object v) {
        if (v instanceof Integer i) return i;
        String s = str(v).trim();
        int end = 0;
        if (end < s.length() && (s.charAt(0) == '-' || s.charAt(0) == '+')) end++;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        try {
            return Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static SipUri parseUri(String s) {
        try {
            return SipUri.parse(s);
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("pv: parseUri", e);
            return null;
        }
    }

    private static UnaryOperator<Object> uri(java.util.function.Function<SipUri, Object> f) {
        return v -> {
            SipUri u = v == null ? null : parseUri(str(v));
            return u == null ? null : f.apply(u);
        };
    }

    private static UnaryOperator<Object> nameaddr(java.util.function.Function<NameAddr, Object> f) {
        return v -> {
            try {
                return v == null ? null : f.apply(NameAddr.parse(str(v)));
            } catch (SipParseException | RuntimeException e) {
                Failures.handled("pv: nameaddr", e);
                return null;
            }
        };
    }
}
