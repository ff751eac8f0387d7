package dev.kemi.engine.cfg;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An action of a route block. exec returns the action's code; control flow goes through Run flags. */
abstract class Stmt {
    private static final Logger LOG = LoggerFactory.getLogger(NativeScript.class);

    abstract int exec(Run r);

    /** Where the action is written, for the debugger's cfgtrace; null for none (blocks). */
    Token at() {
        return null;
    }

    /** Kamailio's action type number (route_struct.h) for cfgtrace. */
    int actionType() {
        return 0;
    }

    /** The name cfgtrace prints (n=...). */
    String actionName() {
        return "";
    }

    /**
     * Runs an action list as Kamailio's run_actions: stops at break/return/exit and yields the
     * code of the last action run (1 for an empty list).
     */
    static int runList(Run r, Stmt[] list) {
        if (++r.depth > r.limits.maxDepth()) {
            r.depth--;
            LOG.error("too many recursive routing levels ({}), giving up", r.limits.maxDepth());
            return -1; // the call fails, the caller goes on (Kamailio's E_UNSPEC)
        }
        int ret = 1;
        for (Stmt s : list) {
            if (r.tracer != null && r.tracer.tracing() && s.at() != null) {
                Token at = s.at();
                r.tracer.trace(r.ctx, r.route, at.file(), at.line(), s.actionType(), s.actionName());
            }
            ret = s.exec(r);
            if ((r.flags & (Run.BREAK | Run.RETURN | Run.EXIT)) != 0) break;
        }
        r.depth--;
        return ret;
    }
}
