package dev.kemi.runtime.modules.dialog;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.Version;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Requests the dialog module sends within a dialog (BYE), as tm's t_request_within builds them:
 * to a leg's contact through its route set, From/To/tags as the other leg, CSeq one above the
 * other leg's. A non-INVITE client transaction: retransmitted over UDP from T1 doubling up to
 * T2, ended by the first final reply or by fr_timer with a local 408; the final code goes to
 * the worker owning the Call-ID.
 */
final class DlgRequests {
    private record Pending(String callId, Destination dst, byte[] bytes, IntConsumer done, ScheduledFuture<?>[] timers) {}

    private final ProxyServices services;
    private final int frTimer, t1, t2;
    /** lreq_callee_headers: extra headers of requests to the callee. */
    private final String calleeHeaders;
    private final String branchPrefix = "z9hG4bKdlg" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20) + ".";
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    DlgRequests(ProxyServices services, int frTimer, int t1, int t2, String calleeHeaders) {
        this.services = services;
        this.calleeHeaders = calleeHeaders;
        this.frTimer = frTimer;
        this.t1 = t1;
        this.t2 = t2;
    }

    /** Sends {@code method} to the leg ({@link Dialog#CALLER} or CALLEE); false when it cannot be built or sent. */
    boolean send(Dialog d, int leg, String method, String extraHeaders, IntConsumer done) {
        String target = d.contact[leg];
        if (target == null || target.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "dialog: no contact available");
            return false;
        }
        int other = 1 - leg;
        long cseq;
        try {
            cseq = Long.parseLong(d.cseq[other] == null ? "0" : d.cseq[other].trim()) + 1;
        } catch (NumberFormatException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: invalid cseq");
            return false;
        }
        if ((d.iflags & Dialog.IFLAG_PRACK) != 0) cseq += 80;
        List<String> routes = routes(d.routeSet[leg]);
        String hopUri = routes.isEmpty() ? target : routeUri(routes.get(0));
        Destination dst;
        try {
            NextHop hop = NextHop.resolve(hopUri, null, null);
            ListenSocket sock = d.bindAddr[leg] != null && d.bindAddr[leg].proto() == hop.proto() ? d.bindAddr[leg]
                    : services.socketFor(hop.proto(), hop.address().getAddress());
            if (sock == null) return false;
            dst = new Destination(hop.proto(), hop.address(), sock, false, false);
        } catch (NextHop.Unusable e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: cannot send " + method + " to " + hopUri);
            return false;
        }
        String branch = branchPrefix + seq.incrementAndGet();
        String locUri = leg == Dialog.CALLER ? d.toUri : d.fromUri;
        String remUri = leg == Dialog.CALLER ? d.fromUri : d.toUri;
        List<String> headers = new ArrayList<>();
        headers.add("Via: SIP/2.0/" + dst.proto().name() + " " + dst.socket().viaHost() + ":" + dst.socket().viaPort()
                + ";branch=" + branch);
        headers.add("To: <" + remUri + ">;tag=" + d.tag[leg]);
        headers.add("From: <" + locUri + ">;tag=" + d.tag[other]);
        headers.add("CSeq: " + cseq + " " + method);
        headers.add("Call-ID: " + d.callId);
        for (String r : routes) headers.add("Route: " + r);
        byte[] bytes;
        try {
            SipMessage req = SipMessage.request(method, target, headers, new byte[0]);
            // tm puts its User-Agent, then the caller's headers (Max-Forwards first), after Content-Length
            String ua = userAgent();
            if (ua != null) req.appendHeader(ua + "\r\n");
            req.appendHeader("Max-Forwards: 70\r\n");
            for (String extra : new String[] {extraHeaders, leg == Dialog.CALLEE ? calleeHeaders : null}) {
                if (extra == null) continue;
                for (String h : extra.split("\r?\n")) if (!h.isBlank()) req.appendHeader(h.trim() + "\r\n");
            }
            bytes = req.toBytes();
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "dialog: cannot build " + method + ": " + e.getMessage());
            return false;
        }
        ScheduledFuture<?>[] timers = new ScheduledFuture<?>[2];
        pending.put(branch, new Pending(d.callId, dst, bytes, done, timers));
        if (!services.sender().send(dst, bytes, () -> finish(branch, 408))) {
            pending.remove(branch);
            return false;
        }
        timers[1] = services.timers().schedule(() -> finish(branch, 408), frTimer, TimeUnit.MILLISECONDS);
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

    /** A reply to one of ours (true = taken, not to be relayed). */
    boolean onReply(MessageContext ctx) {
        String branch;
        try {
            branch = ctx.msg().topVia().branch();
        } catch (SipParseException | RuntimeException e) {
            return false;
        }
        if (branch == null || !branch.startsWith(branchPrefix)) return false;
        int code = ctx.msg().status();
        if (code >= 200) finish(branch, code);
        return true;
    }

    private void finish(String branch, int code) {
        Pending p = pending.remove(branch);
        if (p == null) return;
        for (ScheduledFuture<?> t : p.timers) if (t != null) t.cancel(false);
        services.runOnWorker(p.callId, () -> p.done.accept(code));
    }

    /** Kamailio's user_agent_header of local requests (none with server_signature=no). */
    private String userAgent() {
        String sig = services.globalParam("server_signature");
        if (sig != null && (sig.equalsIgnoreCase("no") || sig.equalsIgnoreCase("off") || sig.equals("0"))) return null;
        String h = services.globalParam("user_agent_header");
        if (h == null || h.isEmpty()) return "User-Agent: " + Version.NAME + " (" + Version.VERSION + ")";
        return h.endsWith("\r\n") ? h.substring(0, h.length() - 2) : h;
    }

    void stop() {
        for (Pending p : pending.values()) for (ScheduledFuture<?> t : p.timers) if (t != null) t.cancel(false);
        pending.clear();
    }

    /** The name-addrs of a stored route set ("<sip:a;lr>,<sip:b;lr>"). */
    static List<String> routes(String set) {
        List<String> out = new ArrayList<>();
        if (set == null || set.isBlank()) return out;
        StringBuilder cur = new StringBuilder();
        boolean inAngle = false, inQuote = false;
        for (char c : set.toCharArray()) {
            if (c == '"' && !inAngle) inQuote = !inQuote;
            if (c == '<' && !inQuote) inAngle = true;
            if (c == '>' && !inQuote) inAngle = false;
            if (c == ',' && !inAngle && !inQuote) {
                if (!cur.toString().isBlank()) out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().trim());
        return out;
    }

    private static String routeUri(String route) {
        try {
            return NameAddr.parse(route).uri();
        } catch (SipParseException e) {
            return route;
        }
    }
}
