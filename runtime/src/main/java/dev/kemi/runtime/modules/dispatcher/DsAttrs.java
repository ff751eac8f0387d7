package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.modules.ScriptLog;

/** A destination's attrs string and the attributes dispatcher reads from it (ds_set_attrs). */
record DsAttrs(String body, String duid, int weight, int rweight, int maxload, String socket, String sockname,
               String pingFrom, String obproxy) {
    static final DsAttrs NONE = new DsAttrs(null, null, 0, 0, 0, null, null, null, null);

    /** Parses "duid=a;weight=50;..." (a trailing ';' dropped, as Kamailio stores it). */
    static DsAttrs parse(String text) {
        if (text == null || text.isEmpty()) return NONE;
        String body = text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
        String duid = null, socket = null, sockname = null, pingFrom = null, obproxy = null;
        int weight = 0, rweight = 0, maxload = 0;
        for (String p : body.split(";")) {
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase();
            String v = eq < 0 ? "" : unquote(p.substring(eq + 1).trim());
            switch (name) {
                case "duid" -> duid = v;
                case "weight" -> {
                    int w = number(v);
                    if (w >= 1 && w <= 100) weight = w;
                    else ScriptLog.log(ScriptLog.ERR, "dispatcher: weight " + w + " not in 1-100 range - ignoring destination");
                }
                case "rweight" -> {
                    int w = number(v);
                    if (w >= 1 && w <= 100) rweight = w;
                    else ScriptLog.log(ScriptLog.WARN, "dispatcher: rweight " + w + " not in 1-100 range - ignoring");
                }
                case "maxload" -> maxload = number(v);
                case "socket" -> socket = v;
                case "sockname" -> sockname = v;
                case "ping_from" -> pingFrom = v;
                case "obproxy" -> obproxy = v;
                default -> { }
            }
        }
        return new DsAttrs(body, duid, weight, rweight, maxload, socket, sockname, pingFrom, obproxy);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** str2sint: leading sign and digits, 0 when there are none. */
    private static int number(String v) {
        int i = 0, sign = 1, n = 0;
        if (i < v.length() && (v.charAt(i) == '-' || v.charAt(i) == '+')) sign = v.charAt(i++) == '-' ? -1 : 1;
        while (i < v.length() && Character.isDigit(v.charAt(i))) n = n * 10 + (v.charAt(i++) - '0');
        return sign * n;
    }
}
