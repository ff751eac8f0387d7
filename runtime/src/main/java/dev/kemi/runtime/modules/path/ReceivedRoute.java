package dev.kemi.runtime.modules.path;

import dev.kemi.runtime.core.MessageContext;
import java.io.ByteArrayOutputStream;

/**
 * use_received: when loose_route consumed our Route and it has the received parameter
 * add_path_received wrote, the request goes to that address ($du), as Kamailio's
 * path_rr_callback.
 */
final class ReceivedRoute {
    private ReceivedRoute() {}

    static void apply(MessageContext ctx, String params, PathModule cfg) {
        String value = param(params, cfg.receivedName);
        if (value == null || value.isEmpty()) return;
        String dst = cfg.receivedFormat == 0 ? unescape(value) : fromTilde(value);
        if (dst == null) return;
        ctx.setDstUri(dst);
        ctx.msg().markRequestUriNew();
    }

    private static String param(String params, String name) {
        for (String p : params.split(";")) {
            int eq = p.indexOf('=');
            String n = (eq < 0 ? p : p.substring(0, eq)).strip();
            if (n.equalsIgnoreCase(name)) return eq < 0 ? "" : p.substring(eq + 1).strip();
        }
        return null;
    }

    /** "sip:1.2.3.4:5060%3Btransport%3Dtcp" to the URI it escapes. */
    private static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int h = Character.digit(s.charAt(i + 1), 16), l = Character.digit(s.charAt(i + 2), 16);
                if (h < 0 || l < 0) return null;
                out.write(h * 16 + l);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** "IP~PORT~PROTO" (received_format 1) to sip:IP:PORT[;transport=P]. */
    private static String fromTilde(String s) {
        String[] f = s.split("~", -1);
        if (f.length != 3 || f[2].isEmpty()) return null;
        int proto = f[2].charAt(0) - '0';
        String[] names = {null, null, "tcp", "tls", "sctp", "ws", "wss"};
        if (proto == 1) return "sip:" + f[0] + ":" + f[1];
        if (proto < 2 || proto >= names.length) return null;
        return "sip:" + f[0] + ":" + f[1] + ";transport=" + names[proto];
    }
}
