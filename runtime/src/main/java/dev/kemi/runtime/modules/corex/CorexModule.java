package dev.kemi.runtime.modules.corex;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.ListenSocket;

/** KSR.corex: the corex functions scripts use (native append_branch is core's). */
@Module(value = "corex", loadName = "corex")
public final class CorexModule {

    @Export(kemiOnly = true, returns = {1, -1})
    public int append_branch(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return -1;
        ctx.branches.add(ctx.msg().requestUri());
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int append_branch_uri(MessageContext ctx, String uri) {
        if (uri == null || uri.isEmpty()) return -1;
        ctx.branches.add(uri);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int has_ruri_user(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return -1;
        try {
            String u = ctx.msg().parsedRequestUri().user();
            return u != null && !u.isEmpty() ? 1 : -1;
        } catch (SipParseException e) {
            return -1;
        }
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int has_user_agent(MessageContext ctx) {
        String ua = ctx.msg().header("User-Agent");
        return ua != null && !ua.isEmpty() ? 1 : -1;
    }

    /** "proto:host:port" (or "host:port") of one of our sockets. */
    @Export(returns = {1, -1})
    public int set_send_socket(MessageContext ctx, String socket) {
        ListenSocket ls = SendSocket.parse(ctx, socket);
        if (ls == null) return -1;
        SendSocket.set(ctx, ls);
        return 1;
    }

    @Export(returns = {1, -1})
    public int set_send_socket_name(MessageContext ctx, String name) {
        for (ListenSocket ls : ctx.services().sockets()) {
            if (name.equals(ls.name())) {
                SendSocket.set(ctx, ls);
                return 1;
            }
        }
        return -1;
    }

    @Export(returns = {1, -1})
    public int is_socket_name(MessageContext ctx, String name) {
        for (ListenSocket ls : ctx.services().sockets()) if (name.equals(ls.name())) return 1;
        return -1;
    }
}
