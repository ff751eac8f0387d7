package dev.kemi.runtime.modules.core;

import dev.kemi.runtime.core.ConnectionId;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ResponseRouting;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.rr.RecordRoute;
import dev.kemi.runtime.modules.sl.InternalErrors;
import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
        Destination dst;
        try {
            dst = NextHop.destination(ctx, uri);
        } catch (NextHop.Unusable e) {
            InternalErrors.record(ctx, e.code);
            return -1;
        }
        if (dst.socket() == null) {
            InternalErrors.record(ctx, InternalErrors.E_NO_SOCKET);
            return -1;
        }
        SipMessage out = msg.copy();
        if (!msg.requestUri().equals(msg.originalRequestUri())) out.setRequestUri(msg.requestUri());
        prepareRequest(ctx, out, dst.socket(), statelessBranch(msg));
        byte[] bytes = out.toBytes();
        if (!ctx.services().sender().send(dst, bytes, null)) {
            InternalErrors.record(ctx, InternalErrors.E_SEND);
            return -1;
        }
        ctx.markForwarded();
        ctx.services().statistics().counter("core", "fwd_requests").increment();
        return 1;
    }

    /**
     * What every relayed request gets: the Record-Route headers for the outgoing socket, our Via
     * with the given branch, received/rport on the sender's Via.
     */
    public static void prepareRequest(MessageContext ctx, SipMessage out, ListenSocket outSocket, String branch) {
        prepareRequest(ctx, null, out, outSocket, branch);
    }

    /** For a tm branch: {@code branchCtx} is its branch_route's context (null if none ran), for its add_rr_param(). */
    public static void prepareRequest(MessageContext ctx, MessageContext branchCtx, SipMessage out, ListenSocket outSocket, String branch) {
        // edits at the same offset keep their order: Record-Route, our Via, then the sender's Via
        RecordRoute.apply(ctx, branchCtx, out, outSocket);
        OutgoingHeaders.apply(ctx, out, outSocket);
        String[] sentBy = ViaParams.sentBy(ctx);
        out.prependVia(viaValue(Advertised.apply(ctx, outSocket), sentBy == null ? null : sentBy[0], sentBy == null ? null : sentBy[1],
                branch, ConnectionId.of(ctx), LocalRport.isSet(ctx)) + ViaParams.suffix(ctx));
        stampSenderVia(ctx, out);
    }

    /**
     * "SIP/2.0/UDP host[:port];branch=..." for a local socket — the port left out when it is 5060
     * and not advertised, as Kamailio's via_builder does; then, as Kamailio, ";i=" with the id
     * of the TCP connection the request came over (null: none) and the rport flag when asked
     * (add_local_rport).
     */
    public static String viaValue(ListenSocket s, String branch, String connectionId, boolean rport) {
        return viaValue(s, null, null, branch, connectionId, rport);
    }

    /**
     * With a host and/or port of our choosing (via_use_xavp_fields): taken as given, an IPv6
     * address of an IPv6 socket bracketed if it is not, and a given port always written.
     */
    static String viaValue(ListenSocket s, String host, String port, String branch, String connectionId, boolean rport) {
        StringBuilder b = new StringBuilder(64).append("SIP/2.0/").append(s.proto().name()).append(' ');
        if (host == null) b.append(s.viaHost());
        else if (s.address().getAddress() instanceof java.net.Inet6Address && host.indexOf(':') >= 0 && !host.startsWith("[")) b.append('[').append(host).append(']');
        else b.append(host);
        if (port != null) b.append(':').append(port);
        else if (s.viaPort() != 5060 || s.advertisePort() > 0) b.append(':').append(s.viaPort());
        b.append(";branch=").append(branch);
        if (connectionId != null) b.append(";i=").append(connectionId);
        if (rport) b.append(";rport");
        return b.toString();
    }

    /**
     * RFC 3261 §18.2.1 / RFC 3581 §4 on a relayed request, placed as Kamailio 5.6.3 does:
     * ";received=IP" right after the sent-by (when the sent-by host is not the source IP, when
     * received= was there already, or when the Via carries rport), and the rport parameter given
     * the source port in place; force_rport() alone adds rport= right after the sent-by, before
     * a received= added with it, without asking for received=.
     */
    public static void stampSenderVia(MessageContext ctx, SipMessage out) {
        Via v;
        try {
            v = ctx.msg().topVia();
        } catch (SipParseException e) {
            return;
        }
        boolean rport = v.rport() >= 0 || ctx.forceRport();
        boolean received = v.rport() >= 0 || v.received() != null
                || !ResponseRouting.sentByIs(v, ctx.received().source().getAddress());
        if (!rport && !received) return;
        List<Header> vias = HeaderEdits.named(out, "Via");
        if (vias.isEmpty()) return;
        Header h = vias.get(0);
        String field = h.value();
        int comma = topLevelComma(field);
        String first = comma < 0 ? field : field.substring(0, comma).trim();
        String rest = comma < 0 ? "" : ", " + field.substring(comma + 1).trim();
        String stamped = stamp(first, received ? ctx.received().sourceIp() : null, rport ? ctx.received().source().getPort() : 0);
        HeaderEdits.replaceFirst(out, h, h.name() + ": " + stamped + rest + "\r\n");
    }

    /**
     * The Via value with received=ip (null: none) and rport=port (0: none) as 5.6.3's lumps place
     * them: received after the sent-by, or in place of the one there; rport in place of the one
     * there, else inserted after received's anchor, so just before it (";rport=P;received=IP").
     */
    static String stamp(String via, String ip, int rport) {
        int semi = via.indexOf(';');
        String sentBy = semi < 0 ? via : via.substring(0, semi);
        String[] params = semi < 0 ? new String[0] : via.substring(semi + 1).split(";");
        boolean hasRport = false, hasReceived = false;
        for (String p : params) {
            String name = p.split("=", 2)[0].trim();
            hasRport |= name.equalsIgnoreCase("rport");
            hasReceived |= name.equalsIgnoreCase("received");
        }
        String added = (rport > 0 && !hasRport ? ";rport=" + rport : "") + (ip != null ? ";received=" + ip : "");
        StringBuilder b = new StringBuilder(via.length() + 32).append(sentBy);
        if (ip == null || !hasReceived) {
            b.append(added);
            added = null;
        }
        for (String p : params) {
            String name = p.split("=", 2)[0].trim();
            if (name.equalsIgnoreCase("received") && ip != null) {
                if (added != null) b.append(added);
                added = null;
            } else if (name.equalsIgnoreCase("rport") && rport > 0) {
                b.append(";rport=").append(rport);
            } else {
                b.append(';').append(p);
            }
        }
        return b.toString();
    }

    private static int topLevelComma(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) return i;
        }
        return -1;
    }

    /**
     * Branch for a stateless relay (RFC 3261 §16.11): the same for retransmissions and for the
     * CANCEL/ACK of an INVITE, different for other requests. Derived from the incoming top Via
     * branch, Call-ID, CSeq number, From and the received Request-URI (all shared by a CANCEL).
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
        h = fnv(fnv(h, String.valueOf(msg.header("From"))), String.valueOf(msg.originalRequestUri()));
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
