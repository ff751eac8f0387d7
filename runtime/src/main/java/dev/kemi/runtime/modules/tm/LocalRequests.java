package dev.kemi.runtime.modules.tm;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests tm sends on its own (t_uac_send, tm.t_uac_start), built as Kamailio's t_uac_send /
 * build_uac_req: Via, To, From, CSeq (10 unless given), Call-ID, Max-Forwards, Content-Length,
 * User-Agent, then the caller's other headers and the body. A local client transaction: over
 * UDP retransmitted from T1 doubling up to T2 until a reply (an INVITE stops at a provisional, a
 * non-INVITE goes on at T2), ended by the final or by fr_timer / fr_inv_timer (after which a
 * ringing INVITE is canceled); negative INVITE finals are ACKed (again for each retransmission),
 * 2xx are not; the replies stay here.
 */
final class LocalRequests {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DEFAULT_CSEQ = 10;

    /** The request as sent and where its replies are matched (by Via branch). */
    private static final class Local {
        final String callId;
        final boolean invite;
        final Branch b;
        TmScheduler.Timer wait;

        Local(String callId, boolean invite, Branch b) {
            this.callId = callId;
            this.invite = invite;
            this.b = b;
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
     * Sends the request; IllegalArgumentException (Kamailio's message) when a parameter is
     * invalid, IllegalStateException when it cannot be sent.
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
        ListenSocket sock = forced != null ? forced : e.services.routedSocket(hop.proto(), hop.address().getAddress());
        if (sock == null) sock = e.services.socketFor(hop.proto(), hop.address().getAddress());
        if (sock == null) throw new IllegalStateException("no socket for " + hop.proto().lower() + " to " + hop.address());
        String callId = h.callId != null ? h.callId
                : callIdPrefix + "-" + Long.toHexString(seq.incrementAndGet()) + "@" + sock.viaHost();
        String fromTag = h.fromTag != null ? h.fromTag
                : HexFormat.of().formatHex(randomBytes(16)) + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        Branch b = new Branch(0, branchPrefix + seq.incrementAndGet());
        b.uri = ruri;
        b.dstUri = hopUri;
        b.dst = new Destination(hop.proto(), hop.address(), sock, false, false);
        b.bytes = build(method, ruri, StatelessForward.viaValue(sock, b.viaBranch, null, false), h, callId, fromTag,
                sock, bodyText);
        boolean invite = "INVITE".equals(method);
        Local l = new Local(callId, invite, b);
        pending.put(b.viaBranch, l);
        if (!e.services.sender().send(b.dst, b.bytes, () -> e.services.runOnWorker(callId, () -> finish(l, 477)))) {
            pending.remove(b.viaBranch);
            throw new IllegalStateException("UAC error");
        }
        b.sent = true;
        e.stats.total.increment();
        e.stats.totalLocal.increment();
        if (!hop.proto().reliable()) {
            b.retrInterval = e.cfg.retrT1;
            b.retr = e.scheduler.schedule(callId, b.retrInterval, () -> retransmit(l));
        }
        b.fr = e.scheduler.schedule(callId, e.cfg.frTimer, () -> timeout(l));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private byte[] build(String method, String ruri, String via, UacHeaders h, String callId, String fromTag,
                                ListenSocket sock, String body) {
        StringBuilder m = new StringBuilder(512).append(method).append(' ').append(ruri).append(" SIP/2.0\r\n");
        m.append("Via: ").append(via).append("\r\n");
        m.append("To: ").append(bracketed(h.toUri));
        if (h.toTag != null) m.append(";tag=").append(h.toTag);
        m.append("\r\nFrom: ").append(bracketed(h.fromUri)).append(";tag=").append(fromTag).append("\r\n");
        m.append("CSeq: ").append(h.cseq < 0 ? DEFAULT_CSEQ : h.cseq).append(' ').append(method).append("\r\n");
        m.append("Call-ID: ").append(callId).append("\r\n");
        if (!h.maxForwards) m.append("Max-Forwards: 70\r\n");
        m.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        String ua = userAgent(sock);
        if (ua != null) m.append(ua).append("\r\n");
        // "!!" in the headers is our address:port, as get_hfblock substitutes it
        String extra = h.block.replace("!!", sock.viaHost() + ":" + sock.viaPort());
        m.append(extra);
        if (!extra.isEmpty() && !extra.endsWith("\n")) m.append("\r\n");
        return m.append("\r\n").append(body).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String bracketed(String uri) {
        return uri.endsWith(">") ? uri : "<" + uri + ">";
    }

    /** user_agent_header, none with server_signature=no, as tm's local requests. */
    private String userAgent(ListenSocket sock) {
        String sig = e.services.globalParam("server_signature");
        if (sig != null && (sig.equalsIgnoreCase("no") || sig.equalsIgnoreCase("off") || sig.equals("0"))) return null;
        String h = e.services.globalParam("user_agent_header");
        if (h == null || h.isEmpty()) return "User-Agent: " + Version.NAME + " (" + Version.VERSION + ")";
        return h.endsWith("\r\n") ? h.substring(0, h.length() - 2) : h;
    }

    private void retransmit(Local l) {
        Branch b = l.b;
        if (b.retr == null || !pending.containsKey(b.viaBranch)) return;
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
        finish(l, 408);
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
        finish(l, code);
        return true;
    }

    /** The final (received or local): timers stop, retransmitted finals are absorbed for wt_timer. */
    private void finish(Local l, int code) {
        Branch b = l.b;
        if (b.lastReceived >= 200) return;
        b.lastReceived = code;
        b.stopTimers();
        l.wait = e.scheduler.schedule(l.callId, e.cfg.wtTimer, () -> pending.remove(b.viaBranch, l));
    }

    /** The headers of t_uac_send as t_uac_check_msg takes them: From and To needed, the rest kept. */
    record UacHeaders(String fromUri, String fromTag, String toUri, String toTag, String callId, int cseq,
                      boolean maxForwards, String block) {
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
            boolean mf = text.length() >= 15 && text.contains("Max-Forwards:");
            return new UacHeaders(fromUri, fromTag, toUri, toTag, callId, cseq, mf, block.toString());
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
