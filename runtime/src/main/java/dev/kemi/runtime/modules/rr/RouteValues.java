package dev.kemi.runtime.modules.rr;

import java.util.ArrayList;
import java.util.List;

/** Splits a Route/Record-Route header value into its comma-separated name-addrs. */
final class RouteValues {
    private RouteValues() {}

    static List<String> split(String value) {
        List<String> out = new ArrayList<>(2);
        boolean quoted = false;
        int angle = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) quoted = !quoted;
            else if (!quoted && c == '<') angle++;
            else if (!quoted && c == '>') angle--;
            else if (!quoted && angle == 0 && c == ',') {
                add(out, value.substring(start, i));
                start = i + 1;
            }
        }
        add(out, value.substring(start));
        return out;
    }

    private static void add(List<String> out, String s) {
        if (!s.isBlank()) out.add(s.trim());
    }

    /** The URI inside a name-addr ("<sip:a;lr>;x=y" gives "sip:a;lr"). */
    static String uri(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        if (lt >= 0) {
            int gt = nameAddr.indexOf('>', lt);
            return nameAddr.substring(lt + 1, gt < 0 ? nameAddr.length() : gt).trim();
        }
        int semi = nameAddr.indexOf(';');
        return (semi < 0 ? nameAddr : nameAddr.substring(0, semi)).trim();
    }

    /** URI parameters as written, starting with ';' ("" if none); headers excluded. */
    static String uriParams(String uri) {
        int semi = uri.indexOf(';');
        if (semi < 0) return "";
        int q = uri.indexOf('?', semi);
        return uri.substring(semi, q < 0 ? uri.length() : q);
    }

    /** Kamailio's is_strict: no "lr" parameter. */
    static boolean isStrict(String uri) {
        for (String p : uriParams(uri).split(";")) {
            String name = p.split("=", 2)[0].trim();
            if (name.equalsIgnoreCase("lr")) return false;
        }
        return true;
    }

    static boolean hasR2(String uri) {
        for (String p : uriParams(uri).split(";")) {
            if (p.split("=", 2)[0].trim().equalsIgnoreCase("r2")) return true;
        }
        return false;
    }
}
