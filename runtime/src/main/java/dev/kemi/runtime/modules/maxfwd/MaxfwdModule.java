package dev.kemi.runtime.modules.maxfwd;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.sip.Header;
import java.util.List;

/** Max-Forwards handling (RFC 3261 §16.6 step 3, §16.3 step 2). */
@Module(value = "maxfwd", loadName = "maxfwd")
public final class MaxfwdModule {
    private int maxLimit = 70;

    @Param("max_limit")
    public void maxLimit(int v) {
        if (v < 1 || v > 255) throw new IllegalArgumentException("max_limit must be 1..255");
        maxLimit = v;
    }

    /** Value of the first Max-Forwards: -1 absent, -2 unparsable. */
    private static int value(Header h) {
        if (h == null) return -1;
        String v = h.value().trim();
        if (v.isEmpty() || v.length() > 3) return -2;
        for (int i = 0; i < v.length(); i++) if (!Character.isDigit(v.charAt(i))) return -2;
        int n = Integer.parseInt(v);
        return n > 255 ? -2 : n;
    }

    private static Header first(MessageContext ctx) {
        List<Header> hs = HeaderEdits.named(ctx.msg(), "Max-Forwards");
        return hs.isEmpty() ? null : hs.get(0);
    }

    /** 2 header added, 1 decremented, -1 already 0 (reply 483), -2 error. */
    @Export(natives = {"process_maxfwd", "mf_process_maxfwd_header", "maxfwd_process"}, routes = RouteType.REQUEST, returns = {2, 1, -1, -2})
    public int process_maxfwd(MessageContext ctx, int limit) {
        if (limit < 0 || limit > 255) {
            ScriptLog.log(ScriptLog.ERR, "maxfwd: invalid limit " + limit);
            return -1;
        }
        Header h = first(ctx);
        int val = value(h);
        if (val == -1) {
            ctx.msg().insertHeader("Max-Forwards: " + limit + "\r\n");
            return 2;
        }
        if (val == -2) return -2;
        if (val == 0) return -1;
        if (val > maxLimit) val = maxLimit + 1;
        // in the received bytes, as Kamailio: a later $hdr(Max-Forwards) reads the new value
        ctx.msg().rewriteInPlace("Max-Forwards", Integer.toString(val - 1));
        return 1;
    }

    /** 1 value below limit, -1 not below, -2 no header, -3 error. */
    @Export(natives = {"is_maxfwd_lt", "maxfwd_at_least", "mf_lowlimit"}, routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.BRANCH, returns = {1, -1, -2, -3})
    public int is_maxfwd_lt(MessageContext ctx, int limit) {
        if (limit < 0 || limit > 255) return -1;
        int val = value(first(ctx));
        if (val == -1) return -2;
        if (val == -2) return -3;
        return val < limit ? 1 : -1;
    }
}
