package dev.kemi.runtime.modules.uac;

import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.tm.TmUac;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.ReceiveInfo;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * uac_req_send() as Kamailio 5.6.3's uac_send.c: sends what $uac_req holds; with auser/apasswd a
 * 401/407 is answered once (same Call-ID and From-tag, CSeq + 1, the credentials after the
 * hdrs); with evroute, event_route[uac:reply] (KEMI: event_callback) runs for the final reply of
 * each request, on the reply (evtype 1) or on a stand-in request for a local timeout (evtype 2),
 * with $uac_req holding the request sent. evroute 2 runs it for negative replies only, without
 * answering challenges.
 */
final class UacSend {
    static final String EVENT = "uac:reply";
    private final ProxyServices services;
    private final TmUac tm;
    private final ThreadLocal<UacReq> store;
    private final ListenSocket defaultSocket;

    UacSend(ProxyServices services, TmUac tm, ThreadLocal<UacReq> store, ListenSocket defaultSocket) {
        this.services = services;
        this.tm = tm;
        this.store = store;
        this.defaultSocket = defaultSocket;
    }

    int send() {
        UacReq r = store.get();
        if (r.ruri == null || r.method == null) return -1;
        if (r.method.equals("INVITE") || r.method.equals("ACK") || r.method.equals("CANCEL")) {
            ScriptLog.log(ScriptLog.ERR, "uac: uac_req_send() sends non-INVITE requests only here, not " + r.method);
            return -1;
        }
        ListenSocket sock = defaultSocket;
        if (r.sock != null) {
            sock = SendSocket.parse(fake(null), r.sock);
            if (sock == null) {
                ScriptLog.log(ScriptLog.ERR, "uac: no local socket " + r.sock);
                return -1;
            }
        }
        UacReq tp = (r.auser != null && r.apasswd != null) || r.evroute > 0 ? r.copy() : null;
        TmUac.Dlg dlg = new TmUac.Dlg(r.callid, r.furi != null ? r.furi : r.ruri, null, r.turi != null ? r.turi : r.ruri,
                null, 10, List.of());
        final ListenSocket chosen = sock;
        return tm.request(new TmUac.Request(r.method, r.ruri, dlg, r.hdrs, r.body, r.ouri, sock),
                tp == null ? o -> { } : o -> completed(tp, o, chosen)) ? 1 : -1;
    }

    private void completed(UacReq tp, TmUac.Reply o, ListenSocket sock) {
        if (tp.evroute == 2) {
            if (o.code() >= 300) event(tp, o);
            return;
        }
        if (tp.evroute != 0) event(tp, o);
        if ((o.code() != 401 && o.code() != 407) || tp.apasswd == null || o.reply() == null) return;
        SipMessage rpl = o.msg();
        Challenge c = Challenge.parse(rpl.header(o.code() == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"));
        if (c == null) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to extract authenticate hdr");
            return;
        }
        String auth = DigestAnswer.header(o.code(), tp.method, tp.ruri, tp.auser, c.realm(), tp.apasswd, (tp.flags & 1) != 0, c);
        NameAddr from, to;
        int cseq;
        try {
            from = rpl.from();
            to = rpl.to();
            cseq = (int) rpl.cseq().value();
        } catch (SipParseException | RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to build tm dialog");
            return;
        }
        if (auth == null || from == null || to == null) return;
        TmUac.Dlg dlg = new TmUac.Dlg(rpl.callId(), from.uri(), from.tag(), to.uri(), null, cseq + 1, List.of());
        TmUac.Request again = new TmUac.Request(tp.method, tp.ruri, dlg, (tp.hdrs == null ? "" : tp.hdrs) + auth, tp.body,
                tp.ouri, sock);
        if (!tm.request(again, tp.evroute != 0 ? o2 -> event(tp, o2) : o2 -> { })) {
            ScriptLog.log(ScriptLog.ERR, "uac: failed to send request with authentication");
        }
    }

    /** event_route[uac:reply] with $uac_req set to the request sent, evcode and evtype. */
    private void event(UacReq tp, TmUac.Reply o) {
        if (!services.script().has(RouteType.EVENT, EVENT)) return;
        UacReq now = tp.copy();
        now.evcode = o.code();
        now.evtype = o.reply() != null ? 1 : 2;
        store.set(now);
        MessageContext ctx = o.reply() != null ? o.reply() : fake(tp.ruri);
        int saved = ctx.routeType();
        ctx.routeType(RouteType.EVENT);
        try {
            services.script().onEvent(EVENT, ctx);
        } catch (RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "uac: event_route[" + EVENT + "] failed: " + e);
        } finally {
            ctx.routeType(saved);
        }
    }

    /** Kamailio's faked request (faked_msg_get_next), for a route run without a received message. */
    private MessageContext fake(String ruri) {
        SipMessage m = SipMessage.request("OPTIONS", "sip:you@kamailio.org", List.of("Via: SIP/2.0/UDP 127.0.0.1",
                "From: <sip:you@kamailio.org>;tag=notag", "To: <sip:you@kamailio.org>;tag=notag",
                "Call-ID: 1", "CSeq: 1 OPTIONS"), new byte[0]);
        List<ListenSocket> socks = services.sockets();
        return new MessageContext(m, new ReceiveInfo(new InetSocketAddress(0), socks.isEmpty() ? null : socks.get(0), 0), services);
    }
}
