package dev.kemi.runtime.modules.nathelper;

/**
 * The alias parameter (";alias=ip~port~proto") of URIs: handle_ruri_alias's decoding into a
 * destination URI (Kamailio's ki_handle_ruri_alias_mode) and set_contact_alias_trim's removal
 * (uri_trim_rcv_alias).
 */
final class RuriAlias {
    private RuriAlias() {}

    /** The new $du and R-URI, or an error text. */
    record Result(String dstUri, String ruri, String error) {
        static Result error(String e) {
            return new Result(null, null, e);
        }
    }

    /** Kamailio's proto_type_to_str for the transport parameter (ws for both ws and wss). */
    private static String protoName(int p) {
        return switch (p) {
            case 1 -> "udp";
            case 2 -> "tcp";
            case 3 -> "tls";
            case 4 -> "sctp";
            case 5, 6 -> "ws";
            default -> "";
        };
    }

    /** null when the R-URI has no alias parameter (2). */
    static Result handle(String ruri, String salias, int mode) {
        String alias = salias.substring(1);
        int params = sipParamsStart(ruri);
        if (params < 0) return null;
        int paramsEnd = ruri.indexOf('?', params);
        if (paramsEnd < 0) paramsEnd = ruri.length();
        int start = -1;
        int rest = params;
        while (paramsEnd - rest > alias.length() + 4) {
            if (ruri.startsWith(alias, rest)) {
                start = rest;
                if (mode == 0) break;
                rest += alias.length();
            }
            int sep = ruri.indexOf(';', rest);
            if (sep < 0 || sep >= paramsEnd) break;
            rest = sep + 1;
        }
        if (start < 0) return null;
        int val = start + alias.length();
        int valEnd = paramsEnd;
        int t1 = ruri.indexOf('~', val);
        if (t1 < 0 || t1 >= valEnd) return Result.error("no '~' in alias param value");
        int t2 = ruri.indexOf('~', t1 + 1);
        if (t2 < 0 || t2 >= valEnd) return Result.error("no second '~' in alias param value");
        int ipPortLen = t2 - val;
        int trans = t2 + 1;
        if (trans >= valEnd || ruri.charAt(trans) == ';' || ruri.charAt(trans) == '?') return Result.error("no proto in alias param");
        int proto = ruri.charAt(trans) - '0';
        StringBuilder du = new StringBuilder("sip:").append(ruri, val, t1).append(':').append(ruri, t1 + 1, t2);
        if (proto != 1) {
            String name = protoName(proto);
            if (name.isEmpty()) return Result.error("unknown proto in alias param");
            du.append(";transport=").append(name);
        }
        int next = trans + 1;
        if (next < valEnd && ruri.charAt(next) != ';' && ruri.charAt(next) != '?') return Result.error("invalid alias param value");
        int aliasLen = salias.length() + ipPortLen + 2;
        String nruri = ruri.substring(0, start - 1) + ruri.substring(start - 1 + aliasLen);
        return new Result(du.toString(), nruri, null);
    }

    /** Offset of the URI parameters (after the ';' that follows host[:port]), or -1 if none. */
    private static int sipParamsStart(String uri) {
        int colon = uri.indexOf(':');
        if (colon < 0) return -1;
        int at = uri.indexOf('@', colon);
        int i = at >= 0 ? at + 1 : colon + 1;
        if (i < uri.length() && uri.charAt(i) == '[') {
            int rb = uri.indexOf(']', i);
            if (rb < 0) return -1;
            i = rb;
        }
        int semi = uri.indexOf(';', i);
        int q = uri.indexOf('?', i);
        if (semi < 0 || (q >= 0 && q < semi)) return -1;
        return semi + 1 < uri.length() ? semi + 1 : -1;
    }

    /** uri_trim_rcv_alias: the URI without its last well-formed alias parameter, or null if none. */
    static String trim(String uri, String salias) {
        if (uri.length() < salias.length() + 16) return null;
        int p = uri.length() - salias.length() - 11;
        int skip = -1;
        while (p > 5) {
            if (uri.startsWith(salias, p)) {
                skip = p;
                break;
            }
            p--;
        }
        if (skip < 0) return null;
        int ip = skip + salias.length();
        int t1 = uri.indexOf('~', ip);
        if (t1 < 0) return null;
        int port = t1 + 1;
        if (port >= uri.length()) return null;
        int t2 = uri.indexOf('~', port);
        if (t2 < 0) return null;
        int pr = t2 + 1;
        if (pr >= uri.length()) return null;
        int end = pr + 1;
        if (end != uri.length() && uri.charAt(end) != ';') return null;
        return uri.substring(0, skip) + uri.substring(end);
    }

    /** nh_alias_to_uri: "sip:host:port;transport=proto" from the first alias parameter in text, or null. */
    static String aliasUri(String text, String salias) {
        int i = text.indexOf(salias);
        if (i < 0 || i >= text.length() - salias.length() - 5) return null;
        int host = i + salias.length();
        int t1 = text.indexOf('~', host);
        if (t1 < 0 || t1 + 1 >= text.length()) return null;
        int t2 = text.indexOf('~', t1 + 1);
        if (t2 < 0) return null;
        int pe = t2 + 1;
        while (pe < text.length() && Character.isDigit(text.charAt(pe))) pe++;
        int proto = pe == t2 + 1 ? 0 : Integer.parseInt(text.substring(t2 + 1, pe));
        return "sip:" + text.substring(host, t1) + ":" + text.substring(t1 + 1, t2) + ";transport=" + protoName(proto);
    }
}
