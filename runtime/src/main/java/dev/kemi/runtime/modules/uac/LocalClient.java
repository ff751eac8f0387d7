package dev.kemi.runtime.modules.uac;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * uac's own requests as tm's t_request / t_request_within send them (non-INVITE client
 * transactions, RFC 3261 §17.1.2): the request laid out as Kamailio's build_uac_req lays it out,
 * retransmitted over UDP from retr_timer1 doubling up to retr_timer2, ended by the first final
 * reply or by fr_timer with a local 408. The outcome runs on the worker owning the Call-ID.
 */
final class LocalClient {
    /** A final outcome: the reply's context (null for the local 408) and its code. */
    record Outcome(int code, String reason, MessageContext reply) {
        SipMessage msg() {
            return reply == null ? null : reply.msg();
        }
    }

    /** What a new request is made of; null fields are left out. */
    record Request(String method, String ruri, String to, String from, String fromTag, String callId, int cseq,
                   String headers, String body, String outboundUri, ListenSocket socket) {}

    private record Pending(String callId, Destination dst, byte[] bytes, Consumer<Outcome> done, ScheduledFuture<?>[] timers) {}

    private final ProxyServices services;
    private final String userAgent;
    private final int frTimer, t1, t2;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 12);
    private final String callIdPrefix = String.format("%016x", ThreadLocalRandom.current().nextLong());

    LocalClient(ProxyServices services, String userAgent, dev.kemi.runtime.modules.tm.NonInviteTimers timers) {
        this.services = services;
        this.userAgent = userAgent;
        this.frTimer = timers.fr();
        this.t1 = timers.retrT1();
        this.t2 = timers.retrT2();
    }

    String newCallId(ListenSocket s) {
        return callIdPrefix + "-" + seq.incrementAndGet() + "@" + s.viaHost();
    }

    static String newTag() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x-%08x", r.nextLong(), r.nextLong(), r.nextInt());
    }

    /** The socket for a destination URI (the given one if set); null when none fits or the URI is unusable. */
    ListenSocket socketFor(String uri) {
        try {
            NextHop hop = NextHop.resolve(uri, null, null);
            return services.socketFor(hop.proto(), hop.address().getAddress());
        } catch (NextHop.Unusable e) {
            return null;
        }
    }

    /** Sends; false when it cannot be sent at all (bad URI, no socket), and then {@code done} never runs. */
    boolean send(Request r, Consumer<Outcome> done) {
        Destination dst;
        try {
            NextHop hop = NextHop.resolve(r.outboundUri() != null ? r.outboundUri() : r.ruri(), null, null);
            ListenSocket sock = r.socket() != null ? r.socket() : services.socketFor(hop.proto(), hop.address().getAddress());
            if (sock == null) return false;
            dst = new Destination(hop.proto(), hop.address(), sock, false, false);
        } catch (NextHop.Unusable e) {
            return false;
        }
        String branch = "z9hG4bK" + prefix + "." + seq.incrementAndGet();
        ListenSocket s = dst.socket();
        byte[] body = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(512).append(r.method()).append(' ').append(r.ruri()).append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/").append(s.proto().name()).append(' ').append(s.viaHost());
        if (s.viaPort() != 5060 || s.advertisePort() > 0) b.append(':').append(s.viaPort());
        b.append(";branch=").append(branch).append("\r\n");
        b.append("To: <").append(r.to()).append(">\r\n");
        b.append("From: <").append(r.from()).append('>');
        if (r.fromTag() != null) b.append(";tag=").append(r.fromTag());
        b.append("\r\n");
        b.append("CSeq: ").append(r.cseq()).append(' ').append(r.method()).append("\r\n");
        b.append("Call-ID: ").append(r.callId()).append("\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("Content-Length: ").append(body.length).append("\r\n");
        if (userAgent != null) b.append(userAgent).append("\r\n");
        if (r.headers() != null) b.append(r.headers());
        b.append("\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + body.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(body, 0, bytes, head.length, body.length);
        try {
            SipMessage.parse(bytes);
        } catch (SipParseException e) {
            return false;
        }
        ScheduledFuture<?>[] timers = new ScheduledFuture<?>[2];
        pending.put(branch, new Pending(r.callId(), dst, bytes, done, timers));
        if (!services.sender().send(dst, bytes, () -> finish(branch, new Outcome(408, "Request Timeout", null)))) {
            pending.remove(branch);
            return false;
        }
        timers[1] = services.timers().schedule(() -> finish(branch, new Outcome(408, "Request Timeout", null)), frTimer, TimeUnit.MILLISECONDS);
        if (!dst.proto().reliable()) retransmitLater(branch, t1);
        return true;
    }

    private void retransmitLater(String branch, int interval) {
        Pending p = pending.get(branch);
        if (p == null) return;
        p.timers[0] = services.timers().schedule(() -> {
            Pending q = pending.get(branch);
            if (q == null) return;
            services.sender().send(q.dst, q.bytes, null);
            retransmitLater(branch, Math.min(interval * 2, t2));
        }, interval, TimeUnit.MILLISECONDS);
    }

    /** A reply to one of ours is taken (true); a final one ends its transaction. */
    boolean onReply(MessageContext ctx) {
        String branch;
        try {
            Via v = ctx.msg().topVia();
            branch = v == null ? null : v.branch();
        } catch (SipParseException e) {
            return false;
        }
        if (branch == null || !branch.startsWith("z9hG4bK" + prefix + ".")) return false;
        int code = ctx.msg().status();
        if (code >= 200) finish(branch, new Outcome(code, ctx.msg().reason(), ctx));
        return true;
    }

    private void finish(String branch, Outcome o) {
        Pending p = pending.remove(branch);
        if (p == null) return;
        for (ScheduledFuture<?> t : p.timers) if (t != null) t.cancel(false);
        services.runOnWorker(p.callId, () -> p.done.accept(o));
    }

    void stop() {
        for (Pending p : pending.values()) for (ScheduledFuture<?> t : p.timers) if (t != null) t.cancel(false);
        pending.clear();
    }
}
