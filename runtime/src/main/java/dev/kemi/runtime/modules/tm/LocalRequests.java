package dev.kemi.runtime.modules.tm;

import dev.kemi.runtime.core.WorkerTimers;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.Version;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.core.StatelessForward;
import dev.kemi.runtime.sip.HeaderNames;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Requests tm sends on its own: t_uac_send / tm.t_uac_start, and other modules' requests through
 * {@link TmUac} (dialog's BYEs, uac's requests), built as Kamailio's build_uac_req: Via, To, From,
 * CSeq, Call-ID, the route set, Max-Forwards (unless the caller's headers have one),
 * Content-Length, User-Agent, then the caller's other headers and the body. A local client
 * transaction: over UDP retransmitted from T1 doubling up to T2 until a reply (an INVITE stops at
 * a provisional, a non-INVITE goes on at T2), ended by the final or by fr_timer / fr_inv_timer
 * (after which a ringing INVITE is canceled); negative INVITE finals are ACKed (again for each
 * retransmission), 2xx are not; the replies stay here, the final goes to the caller's callback.
 */
final class LocalRequests {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The request as sent and where its replies are matched (by Via branch). */
    private static final class Local {
        final String callId;
        final boolean invite;
        final Branch b;
        final Consumer<TmUac.Reply> done;
        WorkerTimers.Timer wait;

        Local(String callId, boolean invite, Branch b, Consumer<TmUac.Reply> done) {
            this.callId = callId;
            this.invite = invite;
            this.b = b;
            this.done = done;
        }
    }

    private final TransactionEngine e;
    private final String branchPrefix = "z9hG4bKtu" + Long.toHexString(RANDOM.nextLong() >>> 24) + ".";
    private final String callIdPrefix = HexFormat.of().toHexDigits(RANDOM.nextLong());
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Local> pending = new ConcurrentHashMap<>();

    LocalRequests(TransactionEngine engine) {
        this.e = engine;
    }

    /**
     * t_uac_send: sends the request; IllegalArgumentException (Kamailio's message) when a
     * parameter is invalid, IllegalStateException when it cannot be sent.
     */
    void send(String method, String ruri, String nexthop, String socket, String headers, String body) {
        if (method == null || method.isEmpty()) throw new IllegalArgumentException("Empty method");
        try {
            SipUri.parse(ruri);
        } catch (SipParseException | RuntimeException ex) {
            throw new IllegalArgumentException("Invalid request uri \"" + ruri + "\"");
        }
        String hopUri = nexthop == null || nexthop.isEmpty() || nexthop.equals(".") ? null : nexthop;
        if (hopUri != null) {
            try {
                SipUri.parse(hopUri);
            } catch (SipParseException | RuntimeException ex) {
                throw new IllegalArgumentException("Invalid next-hop uri \"" + hopUri + "\"");
            }
        }
        ListenSocket forced = null;
        if (socket != null && !socket.isEmpty() && !socket.equals(".")) {
            if (!SendSocket.wellFormed(socket)) throw new IllegalArgumentException("Invalid send socket \"" + socket + "\"");
            forced = SendSocket.parse(e.services, socket);
            if (forced == null) throw new IllegalArgumentException("No local socket for \"" + socket + "\"");
        }
        String hdrs = headers == null ? "" : headers;
        String bodyText = body == null ? "" : body;
        UacHeaders h;
        try {
            h = UacHeaders.of(hdrs, method, !bodyText.isEmpty());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(ex.getMessage() + " (checking values failed)");
        }
        NextHop hop;
        try {
            hop = NextHop.resolve(hopUri != null ? hopUri : ruri, null, null);
        } catch (NextHop.Unusable ex) {
            throw new IllegalStateException("UAC error");
        }
        ListenSocket sock = socketFor(forced, hop);
        if (sock == null) throw new IllegalStateException("no socket for " + hop.proto().lower() + " to " + hop.address());
        // "!!" in the headers is our address:port, as get_hfblock substitutes it
        String extra = h.block.replace("!!", sock.viaHost() + ":" + sock.viaPort());
        TmUac.Dlg d = new TmUac.Dlg(h.callId, h.fromUri, h.fromTag, h.toUri, h.toTag, h.cseq < 0 ? 10 : h.cseq, List.of());
        if (!start(new TmUac.Request(method, ruri, d, extra, bodyText, hopUri, sock), null)) {
            throw new IllegalStateException("UAC error");
        }
    }

    /** The socket a request to {@code hop} leaves on: the forced one if its protocol fits (get_send_socket2). */
    private ListenSocket socketFor(ListenSocket forced, NextHop hop) {
        if (forced != null && forced.proto() == hop.proto()) return forced;
        ListenSocket sock = e.services.routedSocket(hop.proto(), hop.address().getAddress());
        return sock != null ? sock : e.services.socketFor(hop.proto(), hop.address().getAddress());
    }

    /** t_uac: starts the local transaction; false (logged) when it cannot be built or sent. */
    boolean start(TmUac.Request r, Consumer<TmUac.Reply> done) {
        TmUac.Dlg d = r.dialog();
        String hopUri = r.nextHop() != null ? r.nextHop() : d.routeSet().isEmpty() ? r.ruri() : routeUri(d.routeSet().get(0));
        NextHop hop;
        try {
            hop = NextHop.resolve(hopUri, null, null);
        } catch (NextHop.Unusable ex) {
            ScriptLog.log(ScriptLog.ERR, "tm: cannot send " + r.method() + " to " + hopUri);
            return false;
        }
        ListenSocket sock = socketFor(r.socket(), hop);
        if (sock == null) {
            ScriptLog.log(ScriptLog.ERR, "tm: no socket found for " + hop.proto().lower() + " to " + hop.address());
            return false;
        }
        String callId = d.callId() != null ? d.callId()
                : callIdPrefix + "-" + Long.toHexString(seq.incrementAndGet()) + "@" + sock.viaHost();
        String fromTag = d.localTag() != null ? d.localTag()
                : HexFormat.of().formatHex(randomBytes(16)) + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        Branch b = new Branch(0, branchPrefix + seq.incrementAndGet());
        b.uri = r.ruri();
        b.dstUri = r.nextHop();
        b.dst = new Destination(hop.proto(), hop.address(), sock, false, false);
        b.bytes = build(r, StatelessForward.viaValue(sock, b.viaBranch, null, false), callId, fromTag);
        try {
            SipMessage.parse(b.bytes);
        } catch (SipParseException ex) {
            ScriptLog.log(ScriptLog.ERR, "tm: cannot build the " + r.method() + ": " + ex.getMessage());
            return false;
        }
        boolean invite = "INVITE".equals(r.method());
        Local l = new Local(callId, invite, b, done);
        // all set before the first byte leaves: the caller's thread is not the Call-ID's worker,
        // which may take the reply at once
        b.sent = true;
        if (!hop.proto().reliable()) {
            b.retrInterval = e.cfg.retrT1;
            b.retr = e.scheduler.schedule(callId, b.retrInterval, () -> retransmit(l));
        }
        b.fr = e.scheduler.schedule(callId, e.cfg.frTimer, () -> timeout(l));
        e.stats.created.increment();
        e.stats.total.increment();
        e.stats.totalLocal.increment();
        e.stats.current.increment();
        pending.put(b.viaBranch, l);
        if (!e.services.sender().send(b.dst, b.bytes, () -> e.services.runOnWorker(callId, () -> finish(l, 477, null)))) {
            pending.remove(b.viaBranch);
            b.stopTimers();
            e.stats.current.decrement();
            e.stats.freed.increment();
            return false;
        }
        return true;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private byte[] build(TmUac.Request r, String via, String callId, String fromTag) {
        TmUac.Dlg d = r.dialog();
        String body = r.body() == null ? "" : r.body();
        String headers = r.headers() == null ? "" : r.headers();
        StringBuilder m = new StringBuilder(512).append(r.method()).append(' ').append(r.ruri()).append(" SIP/2.0\r\n");
        m.append("Via: ").append(via).append("\r\n");
        m.append("To: ").append(bracketed(d.remoteUri()));
        if (d.remoteTag() != null) m.append(";tag=").append(d.remoteTag());
        m.append("\r\nFrom: ").append(bracketed(d.localUri())).append(";tag=").append(fromTag).append("\r\n");
        m.append("CSeq: ").append(d.cseq()).append(' ').append(r.method()).append("\r\n");
        m.append("Call-ID: ").append(callId).append("\r\n");
        if (!d.routeSet().isEmpty()) m.append("Route: ").append(String.join(", ", d.routeSet())).append("\r\n");
        if (headers.length() < 15 || !headers.contains("Max-Forwards:")) m.append("Max-Forwards: 70\r\n");
        m.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        String ua = userAgent();
        if (ua != null) m.append(ua).append("\r\n");
        m.append(headers);
        if (headers.length() > 2 && !headers.endsWith("\n")) m.append("\r\n");
        return m.append("\r\n").append(body).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String bracketed(String uri) {
        return uri.endsWith(">") ? uri : "<" + uri + ">";
    }

    private static String routeUri(String route) {
        try {
            return NameAddr.parse(route).uri();
        } catch (SipParseException ex) {
            return route;
        }
    }

    /** user_agent_header, none with server_signature=no, as tm's local requests. */
    private String userAgent() {
        String sig = e.services.globalParam("server_signature");
        if (sig != null && (sig.equalsIgnoreCase("no") || sig.equalsIgnoreCase("off") || sig.equalsIgnoreCase("false")
                || sig.equals("0"))) {
            return null;
        }
        String h = e.services.globalParam("user_agent_header");
        if (h == null || h.isEmpty()) return "User-Agent: " + Version.NAME + " (" + Version.VERSION + ")";
        return h.endsWith("\r\n") ? h.substring(0, h.length() - 2) : h;
    }

    private void retransmit(Local l) {
        Branch b = l.b;
        if (b.retr == null || b.lastReceived >= 200 || !pending.containsKey(b.viaBranch)) return;
        e.services.sender().send(b.dst, b.bytes, null);
        b.retrInterval = Math.min(b.retrInterval * 2, e.cfg.retrT2);
        b.retr = e.scheduler.schedule(l.callId, b.retrInterval, () -> retransmit(l));
    }

    /** fr_timer / fr_inv_timer: a local 408; a ringing INVITE gets its CANCEL. */
    private void timeout(Local l) {
        Branch b = l.b;
        if (b.lastReceived >= 200) return;
        if (l.invite && b.lastReceived >= 100) {
            try {
                e.services.sender().send(b.dst, TmMessages.cancel(b, null), null);
            } catch (SipParseException ex) {
                ScriptLog.log(ScriptLog.ERR, "tm: cannot build the CANCEL: " + ex.getMessage());
            }
        }
        finish(l, 408, null);
    }

    /** A reply to one of our requests: true when it is ours (it is never relayed). */
    boolean onReply(MessageContext ctx) {
        SipMessage r = ctx.msg();
        String branch;
        String cseqMethod;
        try {
            branch = r.topVia().branch();
            cseqMethod = r.cseq().method();
        } catch (SipParseException | RuntimeException ex) {
            return false;
        }
        if (branch == null || !branch.startsWith(branchPrefix)) return false;
        Local l = pending.get(branch);
        if (l == null || "CANCEL".equals(cseqMethod)) return true;
        Branch b = l.b;
        int code = r.status();
        if (code < 100) return true;
        e.stats.rplReceived.increment();
        if (b.lastReceived >= 200) {
            if (code >= 300 && l.invite && b.ackBytes != null) e.services.sender().send(b.dst, b.ackBytes, null);
            return true;
        }
        if (code < 200) {
            b.lastReceived = code;
            if (l.invite) {
                if (b.retr != null) b.retr.cancel();
                b.retr = null;
                if (b.fr != null) b.fr.cancel();
                b.fr = e.scheduler.schedule(l.callId, e.cfg.frInvTimer, () -> timeout(l));
            } else if (b.retr != null) {
                b.retrInterval = e.cfg.retrT2;
            }
            return true;
        }
        if (code >= 300 && l.invite) {
            try {
                b.ackBytes = TmMessages.ack(b, r);
                e.services.sender().send(b.dst, b.ackBytes, null);
            } catch (SipParseException ex) {
                ScriptLog.log(ScriptLog.ERR, "tm: cannot build the ACK: " + ex.getMessage());
            }
        }
        b.finalReply = r;
        finish(l, code, ctx);
        return true;
    }

    /**
     * The final (received, or local with {@code reply} null): timers stop, the caller learns it,
     * retransmitted finals are absorbed for wt_timer.
     */
    private void finish(Local l, int code, MessageContext reply) {
        Branch b = l.b;
        if (b.lastReceived >= 200) return;
        b.lastReceived = code;
        b.stopTimers();
        if (reply == null) e.stats.rplGenerated.increment();
        e.stats.completed(code);
        e.stats.rplSent.increment();
        e.stats.waiting.increment();
        l.wait = e.scheduler.schedule(l.callId, e.cfg.wtTimer, () -> {
            if (!pending.remove(b.viaBranch, l)) return;
            e.stats.waiting.decrement();
            e.stats.current.decrement();
            e.stats.freed.increment();
        });
        if (l.done == null) return;
        String reason = reply != null ? reply.msg().reason() : code == 408 ? TmErrors.text(408) : TmErrors.reason(TmErrors.E_SEND);
        try {
            l.done.accept(new TmUac.Reply(code, reason, reply));
        } catch (RuntimeException ex) {
            ScriptLog.log(ScriptLog.ERR, "tm: the callback of a local " + b.viaBranch + " failed: " + ex);
        }
    }

    /** The headers of t_uac_send as t_uac_check_msg takes them: From and To needed, the rest kept. */
    record UacHeaders(String fromUri, String fromTag, String toUri, String toTag, String callId, int cseq,
                      String block) {
        static UacHeaders of(String text, String method, boolean body) {
            String fromUri = null, fromTag = null, toUri = null, toTag = null, callId = null;
            int cseq = -1;
            boolean contentType = false, contentLength = false;
            StringBuilder block = new StringBuilder(text.length());
            for (String line : lines(text)) {
                int c = line.indexOf(':');
                if (c <= 0) throw new IllegalArgumentException("Invalid headers");
                String name = HeaderNames.canonical(line.substring(0, c).trim());
                String value = line.substring(c + 1).trim();
                switch (name) {
                    case "from", "to" -> {
                        NameAddr na;
                        try {
                            na = NameAddr.parse(value);
                        } catch (SipParseException ex) {
                            throw new IllegalArgumentException("Error in " + (name.equals("from") ? "From" : "To"));
                        }
                        if (name.equals("from")) {
                            fromUri = na.uri();
                            fromTag = na.tag() == null || na.tag().isEmpty() ? null : na.tag();
                        } else {
                            toUri = na.uri();
                            toTag = na.tag() == null || na.tag().isEmpty() ? null : na.tag();
                        }
                        continue;
                    }
                    case "call-id" -> {
                        callId = value;
                        continue;
                    }
                    case "cseq" -> {
                        String[] p = value.split("\\s+");
                        if (!p[0].matches("[0-9]+")) throw new IllegalArgumentException("Non-numerical CSeq");
                        if (p.length < 2 || !p[1].equals(method)) throw new IllegalArgumentException("CSeq method mismatch");
                        cseq = Integer.parseInt(p[0]);
                        continue;
                    }
                    case "content-type" -> contentType = true;
                    case "content-length" -> contentLength = true;
                    default -> { }
                }
                block.append(line);
            }
            if (body && !contentType) throw new IllegalArgumentException("Content-Type missing");
            if (body && contentLength) throw new IllegalArgumentException("Content-Length disallowed");
            if (toUri == null) throw new IllegalArgumentException("To missing");
            if (fromUri == null) throw new IllegalArgumentException("From missing");
            return new UacHeaders(fromUri, fromTag, toUri, toTag, callId, cseq, block.toString());
        }

        /** Header fields with their line ends and folded continuations, as written. */
        private static java.util.List<String> lines(String text) {
            java.util.List<String> out = new java.util.ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                int end = i;
                while (true) {
                    int nl = text.indexOf('\n', end);
                    end = nl < 0 ? text.length() : nl + 1;
                    if (end >= text.length() || (text.charAt(end) != ' ' && text.charAt(end) != '\t')) break;
                }
                String f = text.substring(i, end);
                if (!f.isBlank()) out.add(f);
                i = end;
            }
            return out;
        }
    }
}
