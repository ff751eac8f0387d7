package dev.kemi.runtime.modules.corex;

import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.transport.ListenSocket;

/**
 * corex_append_branch (5.6.3): a new destination-set branch for {@code uri}, or for the R-URI when
 * none is given, carrying the message's $du, path vector, send socket and branch flags, and the
 * q-value given (unspecified otherwise). Shifting the R-URI into a branch resets those attributes
 * of the message, so they stay with that branch alone.
 */
public final class AppendBranch {
    private AppendBranch() {}

    /** 1, or -1 for a q-value that does not parse or a reply. */
    public static int append(MessageContext ctx, String uri, String q) {
        int qv = -1;
        if (q != null && !q.isEmpty()) {
            if (!validQ(q)) {
                ScriptLog.log(ScriptLog.ERR, "corex: cannot parse the Q parameter");
                return -1;
            }
            qv = (int) Math.round(Double.parseDouble(q.trim()) * 1000);
        }
        if (!ctx.msg().isRequest()) return -1;
        boolean shiftRuri = uri == null || uri.isEmpty();
        ListenSocket socket = SendSocket.get(ctx);
        ctx.appendBranch(shiftRuri ? ctx.msg().requestUri() : uri, new BranchAttrs(ctx.dstUri(), ctx.pathVector(), qv,
                ctx.branchFlags(), socket == null ? null : socket.toString()));
        if (shiftRuri) {
            SendSocket.set(ctx, null);
            ctx.setBranchFlags(0);
            ctx.setDstUri(null);
            ctx.setPathVector(null);
        }
        return 1;
    }

    private static boolean validQ(String q) {
        try {
            double d = Double.parseDouble(q.trim());
            return d >= 0 && d <= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
