package dev.kemi.runtime.modules.nathelper;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetAddress;
import java.util.List;

/** nat_uac_test's checks, in Kamailio 5.6.3's order; each flag bit one test. */
final class NatUacTest {
    static final int C_1918 = 0x01, RCVD = 0x02, V_1918 = 0x04, S_1918 = 0x08, RPORT = 0x10, O_1918 = 0x20,
            WS = 0x40, C_PORT = 0x80, SDP_CLINE = 0x100, DEST = 0x200;

    private final PrivateNets nets;

    NatUacTest(PrivateNets nets) {
        this.nets = nets;
    }

    /** 1 if any selected test holds, else -1. */
    int run(MessageContext ctx, int tests, SipUri contact) {
        SipMessage msg = ctx.msg();
        InetAddress src = ctx.received().source().getAddress();
        int srcPort = ctx.received().source().getPort();
        Via via = topVia(msg);
        if ((tests & RPORT) != 0 && via != null && srcPort != (via.port() > 0 ? via.port() : 5060)) return 1;
        if ((tests & RCVD) != 0 && via != null && !sameAddress(src, via.host())) return 1;
        if ((tests & C_1918) != 0 && contact != null && nets.test(contact.host()) == 1) return 1;
        if ((tests & S_1918) != 0 && sdp1918(msg)) return 1;
        if ((tests & V_1918) != 0 && via != null && nets.test(via.host()) == 1) return 1;
        if ((tests & O_1918) != 0 && nets.isPrivate(src)) return 1;
        if ((tests & WS) != 0) {
            Protocol p = ctx.received().socket().proto();
            if (p == Protocol.WS || p == Protocol.WSS) return 1;
        }
        if ((tests & C_PORT) != 0 && contact != null && srcPort != (contact.port() > 0 ? contact.port() : 5060)) return 1;
        if ((tests & SDP_CLINE) != 0 && sdpClineMismatch(msg, src)) return 1;
        if ((tests & DEST) != 0 && destinationDiffers(ctx)) return 1;
        return -1;
    }

    private static Via topVia(SipMessage msg) {
        try {
            return msg.topVia();
        } catch (SipParseException e) {
            return null;
        }
    }

    /** Kamailio's check_via_address without DNS: the Via host is an IP literal equal to the source. */
    static boolean sameAddress(InetAddress src, String host) {
        InetAddress a = literal(host);
        return a != null && a.equals(src);
    }

    /** An IPv4 or (bracketed or not) IPv6 literal, or null for a host name. */
    static InetAddress literal(String host) {
        if (host == null || host.isEmpty()) return null;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] b = io.netty.util.NetUtil.createByteArrayFromIpAddressString(h);
        if (b == null) return null;
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** sdp_1918: a private IPv4 connection address of a stream (the session's when it has none). */
    private boolean sdp1918(SipMessage msg) {
        SdpView sdp = SdpView.of(msg.body(), msg.contentType());
        if (sdp == null) return false;
        for (SdpView.Session s : sdp.sessions) {
            for (SdpView.Conn st : s.streams()) {
                SdpView.Conn c = st != null && st.address() != null ? st : s.conn();
                if (c == null || !"IP4".equals(c.family()) || SdpView.isNullAddress(c.address(), false)) break;
                if (nets.test(c.address()) == 1) return true;
            }
        }
        return false;
    }

    /** test_sdp_cline: sessions whose c= address differs from the source (counting stops at a session without one). */
    private static boolean sdpClineMismatch(SipMessage msg, InetAddress src) {
        SdpView sdp = SdpView.of(msg.body(), msg.contentType());
        if (sdp == null) return false;
        int sessions = 0, same = 0;
        for (SdpView.Session s : sdp.sessions) {
            if (s.conn() == null || s.conn().address() == null) break;
            InetAddress a = literal(s.conn().address());
            if (a == null) return false; // Kamailio: parse error, -1
            if (a.equals(src)) same++;
            sessions++;
        }
        return sessions - same > 0;
    }

    /** nh_test_destination: the next hop is not where the R-URI (request) or the second Via (reply) points, or it is WebSocket. */
    private static boolean destinationDiffers(MessageContext ctx) {
        SipMessage msg = ctx.msg();
        try {
            String dhost, rhost;
            if (!msg.isRequest()) {
                List<Via> vias = msg.vias();
                if (vias.size() < 2) return false;
                Via v2 = vias.get(1);
                if (v2.transport().equalsIgnoreCase("WS") || v2.transport().equalsIgnoreCase("WSS")) return true;
                String rp = v2.params().get("rport");
                if (rp != null && !rp.isEmpty()) {
                    int dport = Integer.parseInt(rp);
                    if (dport != 0 && dport != sipPort(v2.port(), v2.transport())) return true;
                }
                dhost = v2.received();
                if (dhost == null) return false;
                rhost = v2.host();
            } else {
                SipUri r = msg.parsedRequestUri();
                if (ctx.dstUri() == null || ctx.dstUri().isEmpty()) return isWs(r);
                SipUri d = SipUri.parse(ctx.dstUri());
                if (isWs(d)) return true;
                if (uriPort(d) != uriPort(r)) return true;
                dhost = d.host();
                rhost = r.host();
            }
            if (dhost == null || dhost.isEmpty()) return false;
            InetAddress di = literal(dhost), ri = literal(rhost);
            if (di == null && ri == null) return rhost != null && !rhost.isEmpty() && !rhost.equals(dhost);
            if (di == null || ri == null) return true;
            return !di.equals(ri);
        } catch (SipParseException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean isWs(SipUri u) {
        String t = u.transport();
        return t != null && (t.equalsIgnoreCase("ws") || t.equalsIgnoreCase("wss"));
    }

    /** GET_SIP_PORT: the port, else 5061 for TLS, else 5060. */
    private static int uriPort(SipUri u) {
        if (u.port() > 0) return u.port();
        String t = u.transport();
        return "sips".equals(u.scheme()) || (t != null && t.equalsIgnoreCase("tls")) ? 5061 : 5060;
    }

    private static int sipPort(int port, String transport) {
        if (port > 0) return port;
        return transport.equalsIgnoreCase("TLS") ? 5061 : 5060;
    }
}
