package dev.kemi.runtime.modules.sanity;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.sl.LocalReply;
import java.util.ArrayList;
import java.util.List;

/**
 * Request sanity checks (KSR.sanity). On failure the module replies statelessly itself (unless
 * noreply=1, then sanity_reply() sends the stored reply). Native sanity_check returns 0 on
 * failure when autodrop=1 (ending the native script); KEMI always returns -1.
 */
@Module(value = "sanity", loadName = "sanity")
public final class SanityModule {
    private int defaultChecks = SanityChecks.DEFAULT_MSG_CHECKS;
    private int uriChecks = SanityChecks.DEFAULT_URI_CHECKS;
    private boolean autodrop = true;
    private boolean noreply;
    private List<String> proxyRequire = List.of();

    @Param("default_checks")
    public void defaultChecks(int v) { defaultChecks = v; }

    @Param("uri_checks")
    public void uriChecks(int v) { uriChecks = v; }

    @Param("autodrop")
    public void autodrop(int v) { autodrop = v != 0; }

    @Param("noreply")
    public void noreply(int v) { noreply = v != 0; }

    @Param("proxy_require")
    public void proxyRequire(String v) {
        List<String> l = new ArrayList<>();
        for (String s : v.split(",")) if (!s.isBlank()) l.add(s.trim());
        proxyRequire = List.copyOf(l);
    }

    /** 1 passed, 0 failed (the internal SANITY_CHECK_FAILED). */
    private int check(MessageContext ctx, int msgChecks, int uriChecks) {
        SanityChecks.Failure f = SanityChecks.run(ctx.msg(), msgChecks, uriChecks, proxyRequire);
        if (f == null) return 1;
        if (f.code() > 0 && ctx.msg().isRequest() && !"ACK".equals(ctx.msg().method())) {
            if (f.header() != null) dev.kemi.runtime.modules.sl.ReplyExtras.of(ctx).headers.add(f.header());
            if (noreply) ctx.attach(SanityChecks.Failure.class, f);
            else LocalReply.send(ctx, f.code(), f.reason());
        }
        return 0;
    }

    @Export(value = "sanity_check", kemiOnly = true, returns = {1, -1})
    public int sanity_check(MessageContext ctx, int msgChecks, int uriChecks) {
        return check(ctx, msgChecks, uriChecks) == 0 ? -1 : 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int sanity_check_defaults(MessageContext ctx) {
        return check(ctx, defaultChecks, uriChecks) == 0 ? -1 : 1;
    }

    @Export(natives = "sanity_check", nativeOnly = true, routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, 0, -1})
    public int nativeCheck(MessageContext ctx) {
        return nativeResult(check(ctx, defaultChecks, uriChecks));
    }

    @Export(natives = "sanity_check", nativeOnly = true, routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, 0, -1})
    public int nativeCheck(MessageContext ctx, int msgChecks) {
        return nativeResult(check(ctx, msgChecks, uriChecks));
    }

    @Export(natives = "sanity_check", nativeOnly = true, routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, 0, -1})
    public int nativeCheck(MessageContext ctx, int msgChecks, int uriChecks) {
        return nativeResult(check(ctx, msgChecks, uriChecks));
    }

    private int nativeResult(int r) {
        return r == 1 ? 1 : (autodrop ? 0 : -1);
    }

    /** Sends the reply a failed check stored (noreply=1); -1 if none. */
    @Export(routes = RouteType.REQUEST | RouteType.ONREPLY, returns = {1, -1})
    public int sanity_reply(MessageContext ctx) {
        SanityChecks.Failure f = ctx.attachment(SanityChecks.Failure.class);
        if (f == null) return -1;
        return LocalReply.send(ctx, f.code(), f.reason());
    }
}
