package dev.kemi.runtime.modules.rr;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.outbound.Flow;
import dev.kemi.runtime.modules.outbound.FlowToken;
import dev.kemi.runtime.modules.outbound.OutboundApi;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;

/**
 * loose_route's outbound step (Kamailio's process_outbound): when the user part of our own
 * Route is a flow token of ours naming a flow other than the one the request came over, the
 * request leaves from that flow's socket to that flow's peer.
 */
final class OutboundRoute {
    private OutboundRoute() {}

    /** 1 routed over the flow, 0 no flow token (or the request came over that flow), -1 broken token or unknown socket. */
    static int route(MessageContext ctx, OutboundApi ob, String routeUri) {
        if (ob == null) return 0;
        String user;
        try {
            user = SipUri.parse(routeUri).user();
        } catch (SipParseException e) {
            return 0;
        }
        Flow f;
        try {
            f = ob.decodeFlowToken(ctx, user);
        } catch (FlowToken.Broken e) {
            ScriptLog.log(ScriptLog.INFO, "failed to decode flow token");
            return -1;
        }
        if (f == null || f.remote().equals(ctx.received().source())) return 0;
        ListenSocket s = socket(ctx, f);
        if (s == null) {
            ScriptLog.log(ScriptLog.INFO, "cannot find socket from flow-token");
            return -1;
        }
        SendSocket.set(ctx, s);
        ctx.setDstUri(dstUri(f));
        ctx.msg().markRequestUriNew();
        return 1;
    }

    /** The local socket of the flow; a WS (WSS) flow lives on a TCP (TLS) listener. */
    private static ListenSocket socket(MessageContext ctx, Flow f) {
        Protocol want = f.proto() == Protocol.WS ? Protocol.TCP : f.proto() == Protocol.WSS ? Protocol.TLS : f.proto();
        for (ListenSocket s : ctx.services().sockets()) {
            if (s.proto() == want && s.address().equals(f.local())) return s;
        }
        return null;
    }

    /** sip:IP:PORT;transport=P as Kamailio writes it (";transport=udp" included). */
    static String dstUri(Flow f) {
        InetSocketAddress r = f.remote();
        String ip = r.getAddress().getHostAddress();
        if (ip.indexOf(':') >= 0) ip = "[" + ip + "]";
        return "sip:" + ip + ":" + r.getPort() + ";transport=" + f.proto().lower();
    }
}
