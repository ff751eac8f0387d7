package dev.kemi.runtime.modules.path;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.core.Advertised;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.ReceiveInfo;

/**
 * The Path header text as Kamailio's path builds it:
 * {@code Path: <sip:[USER@]HOST[:PORT][;transport=P];lr[;received=...][;ob][;PARAMS][;r2=on]>},
 * the address the sending socket's (port left out when 5060, transport when not UDP), put in
 * front of the first Path header or after the last header; with enable_r2 a second one with the
 * receiving socket follows.
 */
final class PathHeader {
    private PathHeader() {}

    static String suffix(ReceiveInfo rcv, boolean received, int format, String name, boolean ob, String params, boolean r2) {
        StringBuilder b = new StringBuilder(64).append(";lr");
        if (received) {
            String ip = rcv.sourceIp();
            if (ip.indexOf(':') >= 0) ip = "[" + ip + "]";
            Protocol p = rcv.socket().proto();
            b.append(';').append(name).append('=');
            if (format == 0) {
                b.append("sip:").append(ip).append(':').append(rcv.source().getPort());
                if (p != Protocol.UDP) b.append("%3Btransport%3D").append(p.uriName());
            } else {
                b.append(ip).append('~').append(rcv.source().getPort()).append('~').append(protoNumber(p));
            }
        }
        if (ob) b.append(";ob");
        if (params != null && !params.isEmpty()) b.append(';').append(params);
        if (r2) b.append(";r2=on");
        return b.append('>').toString();
    }

    static void insert(MessageContext ctx, SipMessage out, ListenSocket socket, String user, String suffix, boolean r2) {
        String prefix = "Path: <sip:" + (user != null && !user.isEmpty() ? user + "@" : "");
        StringBuilder lines = new StringBuilder(160).append(prefix).append(address(Advertised.sendSide(ctx, socket))).append(suffix).append("\r\n");
        if (r2) lines.append(prefix).append(address(ctx.received().socket())).append(suffix).append("\r\n");
        if (ctx.msg().hasHeader("Path")) out.insertHeaderBefore(lines.toString(), "Path");
        else out.appendHeader(lines.toString());
    }

    /** HOST[:PORT][;transport=P] of a socket, as Kamailio's SUBST_*_ALL. */
    private static String address(ListenSocket s) {
        StringBuilder b = new StringBuilder(40).append(s.viaHost());
        if (s.viaPort() != 5060 || s.advertisePort() > 0) b.append(':').append(s.viaPort());
        if (s.proto() != Protocol.UDP) b.append(";transport=").append(s.proto().uriName());
        return b.toString();
    }

    private static int protoNumber(Protocol p) {
        return p.ordinal() + 1; // Kamailio's sip_protos: udp 1, tcp 2, tls 3, sctp 4, ws 5, wss 6
    }
}
