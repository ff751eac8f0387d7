package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keepalive requests (OPTIONS by default) as tm sends Kamailio's: a non-INVITE client
 * transaction per destination, retransmitted over UDP from retr_timer1 doubling up to
 * retr_timer2, ended by the first final reply or by fr_timer with a local 408. The outcome is
 * handed to the worker owning the request's Call-ID.
 */
final class DsPinger {
    /** Where a keepalive's outcome goes: the final code, its reason, whether it was received. */
    interface Outcome {
        void done(int setId, String uri, int code, String reason, boolean received);
    }

    private record Pending(int setId, String uri, Destination dst, byte[] bytes, ScheduledFuture<?>[] timers) {}

    private final ProxyServices services;
    private final Outcome outcome;
    private final int frTimer, t1, t2;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);

    DsPinger(ProxyServices services, Outcome outcome, int frTimer, int t1, int t2) {
        this.services = services;
        this.outcome = outcome;
        this.frTimer = frTimer;
        this.t1 = t1;
        this.t2 = t2;
    }

    /** Sends one keepalive; false when it cannot be sent at all (bad address, no socket). */
    boolean send(int setId, DsDest d, String method, String from, String obproxy) {
        Destination dst;
        try {
            NextHop hop = NextHop.resolve(obproxy != null && !obproxy.isEmpty() ? obproxy : d.uri, null, null);
            ListenSocket sock = services.socketFor(hop.proto(), hop.address().getAddress());
            if (sock == null) return false;
            dst = new Destination(hop.proto(), hop.address(), sock, false, false);
        } catch (NextHop.Unusable e) {
            return false;
        }
        long n = seq.incrementAndGet();
        String callId = "ds" + prefix + "-" + n + "@" + dst.socket().viaHost();
        List<String> headers = List.of(
                "Via: SIP/2.0/" + dst.proto().name() + " " + dst.socket().viaHost() + ":" + dst.socket().viaPort()
                        + ";branch=z9hG4bK" + prefix + "." + n,
                "To: <" + d.uri + ">",
                "From: <" + from + ">;tag=" + prefix + "-" + n,
                "CSeq: 10 " + method,
                "Call-ID: " + callId,
                "Max-Forwards: 70");
        byte[] bytes;
        try {
            bytes = SipMessage.request(method, d.uri, headers, new byte[0]).toBytes();
        } catch (IllegalArgumentException e) {
            return false;
        }
        ScheduledFuture<?>[] timers = new ScheduledFuture<?>[2];
        Pending p = new Pending(setId, d.uri, dst, bytes, timers);
        pending.put(callId, p);
        if (!services.sender().send(dst, bytes, () -> finish(callId, 408, "Request Timeout", false))) {
            pending.remove(callId);
            return false;
        }
        timers[1] = services.timers().schedule(() -> finish(callId, 408, "Request Timeout", false), frTimer, TimeUnit.MILLISECONDS);
        if (!dst.proto().reliable()) retransmitLater(callId, t1);
        return true;
    }

    private void retransmitLater(String callId, int interval) {
        Pending p = pending.get(callId);
        if (p == null) return;
        p.timers[0] = services.timers().schedule(() -> {
            Pending q = pending.get(callId);
            if (q == null) return;
            services.sender().send(q.dst, q.bytes, null);
            retransmitLater(callId, Math.min(interval * 2, t2));
        }, interval, TimeUnit.MILLISECONDS);
    }

    /** A reply to one of ours: a final one ends the keepalive (true = taken, not to be relayed). */
    boolean onReply(MessageContext ctx) {
        String callId = ctx.msg().callId();
        if (callId == null || !callId.startsWith("ds" + prefix + "-")) return false;
        int code = ctx.msg().status();
        if (code >= 200) finish(callId, code, ctx.msg().reason(), true);
        return true;
    }

    private void finish(String callId, int code, String reason, boolean received) {
        Pending p = pending.remove(callId);
        if (p == null) return;
        for (ScheduledFuture<?> t : p.timers) if (t != null) t.cancel(false);
        services.runOnWorker(callId, () -> outcome.done(p.setId, p.uri, code, reason, received));
    }

    void stop() {
        for (Pending p : pending.values()) for (ScheduledFuture<?> t : p.timers) if (t != null) t.cancel(false);
        pending.clear();
    }
}
