package dev.kemi.engine.cfg;

import dev.kemi.api.RouteType;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The native kamailio.cfg interpreter: runs the compiled route blocks. */
public final class NativeScript implements RoutingScript {
    private static final Logger LOG = LoggerFactory.getLogger(NativeScript.class);
    private final Route request;
    private final Route reply;
    private final Route onsend;
    private final Map<String, Route> subs;
    private final Map<String, Route> failure;
    private final Map<String, Route> branch;
    private final Map<String, Route> tmReply;
    private final Map<String, Route> branchFailure;
    private final Map<String, Route> events;
    private final Run.Limits limits;
    /** The debugger's cfgtrace, when its module is loaded. */
    private volatile dev.kemi.api.ActionTracer tracer;

    NativeScript(RouteSet routes, Run.Limits limits) {
        this.request = routes.main(RouteType.REQUEST);
        this.reply = routes.main(RouteType.CORE_REPLY);
        this.onsend = routes.main(RouteType.ONSEND);
        this.subs = routes.subs;
        this.failure = routes.named(RouteType.FAILURE);
        this.branch = routes.named(RouteType.BRANCH);
        this.tmReply = routes.named(RouteType.TM_ONREPLY);
        this.branchFailure = routes.named(RouteType.BRANCH_FAILURE);
        this.events = routes.named(RouteType.EVENT);
        this.limits = limits;
    }

    @Override
    public void onRequest(ScriptContext ctx) {
        run(request, ctx);
    }

    /**
     * Core reply_route. As Kamailio's receive.c, the reply is not forwarded when the route returns
     * 0 (drop, a function returning 0, return 0) or a negative code (an error).
     */
    @Override
    public void onReply(ScriptContext ctx) {
        if (reply != null && run(reply, ctx) <= 0) ctx.setDrop();
    }

    @Override
    public void onNamedRoute(int routeType, String name, ScriptContext ctx) {
        run(table(routeType).get(name), ctx);
    }

    @Override
    public void onSend(ScriptContext ctx) {
        run(onsend, ctx);
    }

    @Override
    public void onEvent(String event, ScriptContext ctx) {
        run(events.get(event), ctx);
    }

    @Override
    public boolean has(int routeType, String name) {
        return switch (routeType) {
            case RouteType.REQUEST -> name == null || name.isEmpty() ? request != null : subs.containsKey(name);
            case RouteType.CORE_REPLY -> reply != null;
            case RouteType.ONSEND -> onsend != null;
            default -> table(routeType).containsKey(name);
        };
    }

    /** Names of the blocks of one type (sub-routes for REQUEST), for `kemi check`. */
    public Set<String> names(int routeType) {
        return Collections.unmodifiableSet(table(routeType).keySet());
    }

    private Map<String, Route> table(int routeType) {
        return switch (routeType) {
            case RouteType.FAILURE -> failure;
            case RouteType.BRANCH -> branch;
            case RouteType.TM_ONREPLY -> tmReply;
            case RouteType.BRANCH_FAILURE -> branchFailure;
            case RouteType.EVENT -> events;
            default -> subs;
        };
    }

    /**
     * KSR.route("NAME") from a KEMI script: runs route[NAME]. Returns -1 if there is no such
     * block, 0 if it ended the script (exit, drop, return 0, a function returning 0), else its
     * return code.
     */
    public int route(String name, ScriptContext ctx) {
        Route route = subs.get(name);
        if (route == null) return -1;
        Run r = newRun(ctx);
        int ret = run(route, r);
        return (r.flags & Run.EXIT) != 0 ? 0 : ret;
    }

    /** Runs a top-level block (if present); returns the code of the action that ended it. */
    private int run(Route route, ScriptContext ctx) {
        return route == null ? 1 : run(route, newRun(ctx));
    }

    /** Makes a module's tracer see every action run (debugger cfgtrace). */
    public void tracer(dev.kemi.api.ActionTracer t) {
        this.tracer = t;
    }

    private Run newRun(ScriptContext ctx) {
        Run r = new Run(ctx, limits);
        r.tracer = tracer;
        return r;
    }

    private static int run(Route route, Run r) {
        String name = route.block.name();
        r.route = !name.isEmpty() ? name : route.block.type() == RouteType.REQUEST ? "DEFAULT_ROUTE" : "DEFAULT_ONREPLY";
        try {
            return Stmt.runList(r, route.body);
        } catch (RuntimeException | StackOverflowError e) {
            // a broken message or module must not take the worker down
            EvalFailures.failed(LOG, route.label(), "script", e);
            return -1;
        }
    }
}
