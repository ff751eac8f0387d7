package dev.kemi.runtime.core;

import dev.kemi.runtime.transport.SourceWarnings;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.api.RouteType;
import dev.kemi.api.RoutingScript;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with one received message: parse, run request_route (then the
 * {@link RequestFinisher} modules) or reply_route (then the {@link ReplyHandler}s, else a
 * stateless relay). Nothing here lets an exception escape: a failing script or module costs one
 * message, not the worker. A request_route that neither replies nor forwards drops the request,
 * as in Kamailio.
 */
final class MessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);
    private final ProxyServices services;
    private final List<ReplyHandler> replyHandlers;
    private final List<RequestFinisher> finishers;
    private final ReplyRelay relay;
    private final List<NonSipHandler> nonSip;
    private final SourceWarnings badMessages = new SourceWarnings(log);
    /** A step failing on every message (a module bug) is logged once a minute per route and exception. */
    private final RateLimitedLog failures = new RateLimitedLog(log);
    private volatile LogPrefix logPrefix;
    private volatile boolean prefixResolved;

    MessageProcessor(ProxyServices services, List<ReplyHandler> replyHandlers, List<RequestFinisher> finishers,
                     ReplyRelay relay, List<NonSipHandler> nonSip) {
        this.services = services;
        this.nonSip = List.copyOf(nonSip);
        this.replyHandlers = List.copyOf(replyHandlers);
        this.finishers = List.copyOf(finishers);
        this.relay = relay;
    }

    void process(byte[] data, ReceiveInfo from) {
        if (!nonSip.isEmpty() && from.socket().proto().reliable() && HttpRequestLine.matches(data)) {
            for (NonSipHandler h : nonSip) {
                if (h.onNonSip(data, from)) return;
            }
        }
        SipMessage msg;
        try {
            msg = SipMessage.parse(data);
        } catch (SipParseException e) {
            rejected(data, from, e);
            return;
        }
        CoreStats.received(services.statistics(), msg);
        MessageContext ctx = new MessageContext(msg, from, services);
        RoutingScript script = services.script();
        LogPrefix prefix = logPrefix();
        if (prefix != null) prefix.set(ctx);
        try {
            if (msg.isRequest()) {
                guarded(ctx, data, () -> script.onRequest(ctx));
                for (RequestFinisher f : finishers) guarded(ctx, data, () -> f.afterRequestRoute(ctx));
            } else {
                ctx.routeType(RouteType.CORE_REPLY);
                guarded(ctx, data, () -> {
                    script.onReply(ctx);
                    if (!ctx.isDropped()) deliverReply(ctx);
                });
            }
        } finally {
            if (prefix != null) LogPrefix.clear();
        }
    }

    /** Compiled on first use: the function table is complete by then. */
    private LogPrefix logPrefix() {
        if (!prefixResolved) {
            logPrefix = LogPrefix.of(services);
            prefixResolved = true;
        }
        return logPrefix;
    }

    /** Runs one step; a failure is logged with the message's first line and ends only that step. */
    private void guarded(MessageContext ctx, byte[] data, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | StackOverflowError e) {
            String route = RouteType.name(ctx.routeType());
            failures.error(route + " " + e.getClass().getName(), route + " failed on '" + firstLine(data) + "' from "
                    + ctx.received().source() + ": " + e, e instanceof RuntimeException ? e : null); // a stack overflow's trace is all recursion
        }
    }

    private void deliverReply(MessageContext ctx) {
        for (ReplyHandler h : replyHandlers) {
            if (h.onReply(ctx)) return;
        }
        relay.relay(ctx);
    }

    /**
     * A request whose top Via and key headers survive gets a stateless "400 reason" (or the
     * error's own code); one with another SIP version (505) is dropped unanswered, as Kamailio's
     * first-line parser does.
     */
    private void rejected(byte[] data, ReceiveInfo from, SipParseException e) {
        SipMessage salvaged = e.replyCode() == 505 ? null : SipMessage.parseForErrorReply(data);
        boolean answered = salvaged != null
                && StatelessReply.send(new MessageContext(salvaged, from, services), e.replyCode(), e.getMessage());
        badMessages.warn(from.sourceIp(), (answered ? "answered " + e.replyCode() + " to" : "dropped") + " a malformed message from "
                + from.socket().proto().lower() + ":" + from.source() + " (" + e.getMessage() + "): '" + firstLine(data) + "'");
    }

    /** The first line, printable and short, for log lines. */
    static String firstLine(byte[] data) {
        int n = 0;
        while (n < data.length && n < 200 && data[n] != '\r' && data[n] != '\n') n++;
        return new String(data, 0, n, StandardCharsets.ISO_8859_1).replaceAll("[\\x00-\\x1f\\x7f-\\xff]", "?");
    }
}
