package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.rr.RecordRoute;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import java.nio.charset.StandardCharsets;

/**
 * Core {@code forward()}: sends the request statelessly to $du or the R-URI (or a given URI)
 * with our Via on top, the received/rport parameters on the previous one (RFC 3261 §18.2.1,
 * RFC 3581) and the Record-Route headers rr asked for.
 */
public final class StatelessForward {
    private StatelessForward() {}

    /** 1 sent, -1 failure (bad/unresolvable destination, nothing to send from, send refused). */
    public static int forward(MessageContext ctx, String uri) {
        SipMessage msg = ctx.msg();
        if (!msg.isRequest()) return -1;
        Destination dst = NextHop.resolve(ctx, uri);
        if (dst == null || dst.socket() == null) return -1;
        SipMessage out = msg.copy();
        if (!msg.requestUri().equals(msg.originalRequestUri())) out.setRequestUri(msg.requestUri());
        prepareRequest(ctx, out, dst.socket(), statelessBranch(msg));
        byte[] bytes = out.toBytes();
        if (!ctx.services().sender().send(dst, bytes, null)) return -1;
        ctx.forwarded = true;
        return 1;
    }

    /**
     * What every relayed request gets, stateless or by tm: received/rport on the sender's Via,
     * Record-Route lumps for the outgoing socket, then our Via with the given branch.
     */
    public static void prepareRequest(MessageContext ctx, SipMessage out, ListenSocket outSocket, String branch) {
        addReceivedParams(ctx, out);
        RecordRoute.apply(ctx, out, outSocket);
        out.prependVia(viaValue(Advertised.apply(ctx, outSocket), branch, LocalRport.isSet(ctx)));
    }

    /** "SIP/2.0/UDP host:port;branch=..." for a local socket; rport flag when asked (add_local_rport). */
    public static String viaValue(ListenSocket s, String branch, boolean rport) {
        StringBuilder b = new StringBuilder(64).append("SIP/2.0/").append(s.proto().name()).append(' ')
                .append(s.viaHost()).append(':').append(s.viaPort()).append(";branch=").append(branch);
        if (rport) b.append(";rport");
        return b.toString();
    }

    /**
     * RFC 3261 §18.2.1 / RFC 3581: received= when the sent-by host is not the source IP (or rport
     * was asked for), rport=source port when the Via carries rport or force_rport() was called.
     */
    public static void addReceivedParams(MessageContext ctx, SipMessage out) {
        Via v;
        try {
            v = ctx.msg().topVia();
        } catch (SipParseException e) {
            return;
        }
        if (v == null) return;
        String ip = ctx.received().sourceIp();
        boolean rport = v.rport() >= 0 || ctx.forceRport;
        String host = v.host();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (rport || !host.equalsIgnoreCase(ip)) out.setTopViaParam("received", ip);
        if (rport) out.setTopViaParam("rport", Integer.toString(ctx.received().source().getPort()));
    }

    /**
     * Branch for a stateless relay (RFC 3261 §16.11): the same for retransmissions and for the
     * CANCEL/ACK of an INVITE, different for other requests. Derived from the incoming top Via
     * branch, Call-ID and CSeq number.
     */
    public static String statelessBranch(SipMessage msg) {
        String branch = "";
        try {
            Via v = msg.topVia();
            if (v != null && v.branch() != null) branch = v.branch();
        } catch (SipParseException ignored) {
            // fall back to Call-ID and CSeq only
        }
        String cseq = msg.header("CSeq");
        long num = 0;
        if (cseq != null) {
            int sp = cseq.indexOf(' ');
            String n = sp > 0 ? cseq.substring(0, sp) : cseq;
            try {
                num = Long.parseLong(n.trim());
            } catch (NumberFormatException ignored) {
                num = n.hashCode();
            }
        }
        long h = fnv(fnv(fnv(0xcbf29ce484222325L, branch), String.valueOf(msg.callId())), Long.toString(num));
        if (!branch.startsWith("z9hG4bK")) h = fnv(h, String.valueOf(msg.header("From")) + msg.originalRequestUri());
        return "z9hG4bKsl" + Long.toHexString(h);
    }

    static long fnv(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
