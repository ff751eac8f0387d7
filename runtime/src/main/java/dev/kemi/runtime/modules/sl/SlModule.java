package dev.kemi.runtime.modules.sl;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.IntFallback;
import dev.kemi.api.LeadingPv;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.ReplyRelay;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.nio.charset.StandardCharsets;

/** Stateless replies (KSR.sl); send_reply() is stateful through tm when tm is loaded. */
@Module(value = "sl", loadName = "sl")
public final class SlModule implements RuntimeModule {
    /** tm's reply API, bound at init as Kamailio's sl binds tm (optional: null without tm). */
    private StatefulReplier tm;
    private ProxyServices services;

    @Override
    public void init(ProxyServices services) {
        tm = services.optionalApi(StatefulReplier.class).orElse(null);
        SlStats.register(services.statistics());
        this.services = services;
    }

    /** Counts a reply another module sent through sl (xhttp's HTTP replies, as Kamailio's xhttp sends them with sl). */
    public void countSent(int code) {
        SlStats.sent(services.statistics(), code);
    }


    /** Always stateless, even inside a transaction. */
    @Export(natives = {"sl_send_reply", "sl_reply"}, routes = RouteType.REQUEST, returns = {1, -1})
    public int sl_send_reply(MessageContext ctx, @IntFallback(500) int code, @LeadingPv String reason) {
        return LocalReply.send(ctx, code, reason);
    }

    /** Stateful through tm when the request has a transaction, else stateless. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int send_reply(MessageContext ctx, @IntFallback(500) int code, @LeadingPv String reason) {
        if (tm != null) {
            int r = tm.replyIfTransaction(ctx, code, reason);
            if (r != StatefulReplier.NO_TRANSACTION) return r;
        }
        return LocalReply.send(ctx, code, reason);
    }

    /** mode 1: stateless only. */
    @Export(routes = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY, returns = {1, -1})
    public int send_reply_mode(MessageContext ctx, int code, String reason, int mode) {
        return (mode & 1) != 0 ? LocalReply.send(ctx, code, reason) : send_reply(ctx, code, reason);
    }

    /**
     * Native: the reply for the message's last internal error (a failed t_relay or forward),
     * as err2reason_phrase() makes it: 477 "... (477/SL)" for a send failure; 500 "... (1/SL)"
     * when nothing failed.
     */
    @Export(natives = "sl_reply_error", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int sl_reply_error_native(MessageContext ctx) {
        return replyError(ctx, InternalErrors.last(ctx));
    }

    /**
     * KEMI: Kamailio answers with prev_ser_error, which only native actions set, so from KEMI it
     * is stale process state (500 "... (1/SL)" in practice); here always that reply.
     */
    @Export(kemiOnly = true, returns = {1, -1})
    public int sl_reply_error(MessageContext ctx) {
        return replyError(ctx, InternalErrors.E_UNSPEC);
    }

    /** Native sl_forward_reply(): the received reply, relayed statelessly as it is. */
    @Export(natives = "sl_forward_reply", nativeOnly = true, routes = RouteType.ONREPLY, returns = {1, -1})
    public int sl_forward_reply(MessageContext ctx) {
        return sl_forward_reply(ctx, null, null);
    }

    @Export(natives = "sl_forward_reply", nativeOnly = true, routes = RouteType.ONREPLY, returns = {1, -1})
    public int sl_forward_reply(MessageContext ctx, String code) {
        return sl_forward_reply(ctx, code, null);
    }

    /**
     * A copy of the received reply sent to its second Via (Kamailio's forward_reply_nocb), with
     * the status code (same class, 3 digits) and reason replaced when given; the reply itself is
     * left as it was for whatever the script does next.
     */
    @Export(routes = RouteType.ONREPLY, returns = {1, -1})
    public int sl_forward_reply(MessageContext ctx, String code, String reason) {
        SipMessage m = ctx.msg();
        if (m.isRequest()) {
            ScriptLog.log(ScriptLog.ERR, "sl: invalid SIP message type");
            return -1;
        }
        boolean newCode = code != null && !code.isEmpty();
        if (newCode && (code.length() != 3 || code.charAt(0) != String.valueOf(m.status()).charAt(0)
                || !Character.isDigit(code.charAt(1)) || !Character.isDigit(code.charAt(2)))) {
            ScriptLog.log(ScriptLog.ERR, code.length() == 3 && Character.isDigit(code.charAt(1)) && Character.isDigit(code.charAt(2))
                    ? "sl: reply code class cannot be changed" : "sl: invalid reply code value " + code);
            return -1;
        }
        SipMessage out;
        try {
            out = newCode || (reason != null && !reason.isEmpty()) ? withStatusLine(m, newCode ? code : null, reason) : m.copy();
        } catch (SipParseException e) {
            return -1;
        }
        return ReplyRelay.forwardCopy(ctx, out) ? 1 : -1;
    }

    /** The reply with its status code and/or reason phrase replaced, body byte-exact. */
    private static SipMessage withStatusLine(SipMessage m, String code, String reason) throws SipParseException {
        byte[] b = m.toBytes();
        int eol = 0;
        while (eol < b.length - 1 && !(b[eol] == '\r' && b[eol + 1] == '\n')) eol++;
        String first = new String(b, 0, eol, StandardCharsets.ISO_8859_1);
        String[] parts = first.split(" ", 3);
        String line = parts[0] + " " + (code != null ? code : parts[1]) + " "
                + (reason != null && !reason.isEmpty() ? reason : parts.length > 2 ? parts[2] : "");
        byte[] head = line.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + b.length - eol];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(b, eol, all, head.length, b.length - eol);
        return SipMessage.parse(all);
    }

    private static int replyError(MessageContext ctx, int err) {
        if (LocalReply.send(ctx, InternalErrors.sipCode(err), InternalErrors.reason(err, "SL")) > 0) {
            SlStats.errorReply(ctx.services().statistics());
        }
        return 1;
    }
}
