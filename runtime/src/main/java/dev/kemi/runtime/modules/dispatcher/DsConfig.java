package dev.kemi.runtime.modules.dispatcher;

import java.util.ArrayList;
import java.util.List;

/** The dispatcher modparams, with 5.6.3's defaults. */
final class DsConfig {
    String listFile = "/etc/kamailio/dispatcher.list";
    String dbUrl;
    String table = "dispatcher";
    final String[] cols = {"setid", "destination", "flags", "priority", "attrs"};
    boolean forceDst = true;
    int flags;
    boolean useDefault;
    String xavpDst = "_dsdst_";
    int xavpDstMode;
    String xavpCtx = "_dsctx_";
    int xavpCtxMode;
    String setidPvname, attrsPvname;
    int probingThreshold = 1, inactiveThreshold = 1;
    String pingMethod = "OPTIONS";
    String pingFrom = "sip:dispatcher@localhost";
    int pingInterval;
    /** Codes (100..699) and classes (1..6) accepted as a keepalive answer besides 2xx. */
    List<Integer> replyCodes = List.of();
    int probingMode = Ds.PROBE_NONE;
    boolean strictLoad;
    int reloadDelta = 5;
    boolean attrsNone;
    String eventCallback;
    String hashPvar;
    int hashSize, hashExpire = 7200, hashInitExpire = 7200, hashCheckInterval = 30;

    boolean failover() {
        return (flags & Ds.FAILOVER_ON) != 0;
    }

    /** "code=404;class=3": the entries in range, in order (ds_parse_reply_codes). */
    static List<Integer> parseReplyCodes(String text) {
        List<Integer> out = new ArrayList<>();
        for (String p : text.split(";")) {
            int eq = p.indexOf('=');
            if (eq < 0) continue;
            String name = p.substring(0, eq).trim();
            int v;
            try {
                v = Integer.parseInt(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ds_ping_reply_codes: bad value in [" + text + "]");
            }
            if (name.equalsIgnoreCase("code") && v >= 100 && v < 700) out.add(v);
            else if (name.equalsIgnoreCase("class") && v >= 1 && v < 7) out.add(v);
        }
        return List.copyOf(out);
    }

    /** ds_ping_check_rplcode. */
    boolean acceptedReply(int code) {
        for (int c : replyCodes) if (c / 10 != 0 ? c == code : c == code / 100) return true;
        return false;
    }
}
