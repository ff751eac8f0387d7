package dev.kemi.runtime.modules.core;

import dev.kemi.api.Export;
import dev.kemi.api.RouteType;
import dev.kemi.api.Module;
import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.sip.Via;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.net.Inet6Address;
import java.util.List;
import java.util.Locale;

/**
 * Core functions: KSR.* in KEMI, core actions in native cfg. KSR.is_method, KSR.setbflag and
 * the like are core in KEMI but textops' and kex's functions in native cfg, so natively they
 * exist only with that module loaded ({@code nativeModule}), as in {@code kamailio -c}.
 */
@Module("")
public final class CoreModule {

    // ---- logging
    @Export(kemiOnly = true)
    public void dbg(MessageContext ctx, String msg) { ScriptLog.log(ScriptLog.DBG, msg); }

    @Export(kemiOnly = true)
    public void info(MessageContext ctx, String msg) { ScriptLog.log(ScriptLog.INFO, msg); }

    @Export(kemiOnly = true)
    public void notice(MessageContext ctx, String msg) { ScriptLog.log(ScriptLog.NOTICE, msg); }

    @Export(kemiOnly = true)
    public void warn(MessageContext ctx, String msg) { ScriptLog.log(ScriptLog.WARN, msg); }

    @Export(kemiOnly = true)
    public void err(MessageContext ctx, String msg) { ScriptLog.log(ScriptLog.ERR, msg); }

    @Export(kemiOnly = true)
    public void crit(MessageContext ctx, String msg) { ScriptLog.log(ScriptLog.CRIT, msg); }

    /** KEMI: unknown level names log as err. Native: level may also be a number. */
    @Export
    public void log(MessageContext ctx, String level, String msg) {
        Integer l = ScriptLog.parseLevel(level);
        ScriptLog.log(l == null ? ScriptLog.ERR : l, msg);
    }

    @Export(natives = "log", nativeOnly = true)
    public void logDefault(MessageContext ctx, String msg) { ScriptLog.log(ScriptLog.DBG, msg); }

    @Export(kemiOnly = true, intValue = true)
    public int get_debug(MessageContext ctx) {
        Integer l = ScriptLog.parseLevel(ctx.services().globalParam("debug"));
        return l == null ? ScriptLog.WARN : l;
    }

    @Export(kemiOnly = true)
    public void set_drop(MessageContext ctx) { ctx.setDrop(); }

    // ---- flags
    private static boolean validFlag(int f) {
        if (f < 0 || f > 31) {
            ScriptLog.log(ScriptLog.ERR, "invalid flag " + f + " (range 0..31)");
            return false;
        }
        return true;
    }

    @Export
    public boolean setflag(MessageContext ctx, int f) {
        if (!validFlag(f)) return false;
        ctx.setFlag(f);
        return true;
    }

    @Export
    public boolean resetflag(MessageContext ctx, int f) {
        if (!validFlag(f)) return false;
        ctx.resetFlag(f);
        return true;
    }

    @Export
    public boolean isflagset(MessageContext ctx, int f) {
        return validFlag(f) && ctx.isFlagSet(f);
    }

    @Export(nativeModule = "kex")
    public boolean setbflag(MessageContext ctx, int f) { return setbiflag(ctx, f, 0); }

    @Export(nativeModule = "kex")
    public boolean resetbflag(MessageContext ctx, int f) { return resetbiflag(ctx, f, 0); }

    @Export(nativeModule = "kex")
    public boolean isbflagset(MessageContext ctx, int f) { return isbiflagset(ctx, f, 0); }

    /** Branch flags exist for branch 0 only (the request's own); other branches are tm's. */
    @Export(natives = "setbflag", nativeModule = "kex")
    public boolean setbiflag(MessageContext ctx, int f, int branch) {
        if (!validFlag(f) || branch != 0) return false;
        ctx.setBranchFlag(f);
        return true;
    }

    @Export(natives = "resetbflag", nativeModule = "kex")
    public boolean resetbiflag(MessageContext ctx, int f, int branch) {
        if (!validFlag(f) || branch != 0) return false;
        ctx.resetBranchFlag(f);
        return true;
    }

    @Export(natives = "isbflagset", nativeModule = "kex")
    public boolean isbiflagset(MessageContext ctx, int f, int branch) {
        return validFlag(f) && branch == 0 && ctx.isBranchFlagSet(f);
    }

    @Export(nativeModule = "kex")
    public boolean setsflag(MessageContext ctx, int f) {
        if (!validFlag(f)) return false;
        ctx.setScriptFlag(f);
        return true;
    }

    @Export(nativeModule = "kex")
    public boolean resetsflag(MessageContext ctx, int f) {
        if (!validFlag(f)) return false;
        ctx.resetScriptFlag(f);
        return true;
    }

    @Export(nativeModule = "kex")
    public boolean issflagset(MessageContext ctx, int f) {
        return validFlag(f) && ctx.isScriptFlagSet(f);
    }

    // ---- methods
    private static final List<String> STANDARD_METHODS = List.of("INVITE", "CANCEL", "ACK", "BYE", "INFO",
            "REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "OPTIONS", "PRACK", "UPDATE", "REFER", "PUBLISH",
            "KDMQ", "GET", "POST", "PUT", "DELETE");

    private static boolean method(MessageContext ctx, String m) {
        return m.equalsIgnoreCase(ctx.msg().method());
    }

    /** One method name, or a '|' list of standard methods (unknown name in a list: false + ERR). */
    @Export(nativeModule = "textops")
    public boolean is_method(MessageContext ctx, String m) {
        if (m.indexOf('|') < 0) return method(ctx, m.trim());
        String actual = ctx.msg().method();
        boolean hit = false;
        for (String part : m.split("\\|")) {
            String p = part.trim().toUpperCase(Locale.ROOT);
            if (!STANDARD_METHODS.contains(p)) {
                ScriptLog.log(ScriptLog.ERR, "is_method: unknown method in list '" + m + "'");
                return false;
            }
            if (p.equalsIgnoreCase(actual)) hit = true;
        }
        return hit && STANDARD_METHODS.contains(actual.toUpperCase(Locale.ROOT));
    }

    @Export(kemiOnly = true)
    public boolean is_method_in(MessageContext ctx, String letters) {
        String actual = ctx.msg().method().toUpperCase(Locale.ROOT);
        for (int i = 0; i < letters.length(); i++) {
            String m = switch (Character.toUpperCase(letters.charAt(i))) {
                case 'I' -> "INVITE";
                case 'A' -> "ACK";
                case 'B' -> "BYE";
                case 'C' -> "CANCEL";
                case 'M' -> "MESSAGE";
                case 'R' -> "REGISTER";
                case 'E' -> "PRACK";
                case 'P' -> "PUBLISH";
                case 'S' -> "SUBSCRIBE";
                case 'N' -> "NOTIFY";
                case 'O' -> "OPTIONS";
                case 'F' -> "REFER";
                case 'G' -> "GET";
                case 'U' -> "UPDATE";
                case 'K' -> "KDMQ";
                case 'D' -> "DELETE";
                case 'T' -> "POST";
                case 'V' -> "PUT";
                default -> {
                    ScriptLog.log(ScriptLog.WARN, "is_method_in: unknown method letter '" + letters.charAt(i) + "'");
                    yield null;
                }
            };
            if (actual.equals(m)) return true;
        }
        return false;
    }

    @Export(kemiOnly = true) public boolean is_INVITE(MessageContext ctx) { return method(ctx, "INVITE"); }
    @Export(kemiOnly = true) public boolean is_ACK(MessageContext ctx) { return method(ctx, "ACK"); }
    @Export(kemiOnly = true) public boolean is_BYE(MessageContext ctx) { return method(ctx, "BYE"); }
    @Export(kemiOnly = true) public boolean is_CANCEL(MessageContext ctx) { return method(ctx, "CANCEL"); }
    @Export(kemiOnly = true) public boolean is_REGISTER(MessageContext ctx) { return method(ctx, "REGISTER"); }
    @Export(kemiOnly = true) public boolean is_OPTIONS(MessageContext ctx) { return method(ctx, "OPTIONS"); }
    @Export(kemiOnly = true) public boolean is_SUBSCRIBE(MessageContext ctx) { return method(ctx, "SUBSCRIBE"); }
    @Export(kemiOnly = true) public boolean is_PUBLISH(MessageContext ctx) { return method(ctx, "PUBLISH"); }
    @Export(kemiOnly = true) public boolean is_NOTIFY(MessageContext ctx) { return method(ctx, "NOTIFY"); }
    @Export(kemiOnly = true) public boolean is_REFER(MessageContext ctx) { return method(ctx, "REFER"); }
    @Export(kemiOnly = true) public boolean is_INFO(MessageContext ctx) { return method(ctx, "INFO"); }
    @Export(kemiOnly = true) public boolean is_UPDATE(MessageContext ctx) { return method(ctx, "UPDATE"); }
    @Export(kemiOnly = true) public boolean is_PRACK(MessageContext ctx) { return method(ctx, "PRACK"); }
    @Export(kemiOnly = true) public boolean is_MESSAGE(MessageContext ctx) { return method(ctx, "MESSAGE"); }
    @Export(kemiOnly = true) public boolean is_KDMQ(MessageContext ctx) { return method(ctx, "KDMQ"); }
    @Export(kemiOnly = true) public boolean is_GET(MessageContext ctx) { return method(ctx, "GET"); }
    @Export(kemiOnly = true) public boolean is_POST(MessageContext ctx) { return method(ctx, "POST"); }
    @Export(kemiOnly = true) public boolean is_PUT(MessageContext ctx) { return method(ctx, "PUT"); }
    @Export(kemiOnly = true) public boolean is_DELETE(MessageContext ctx) { return method(ctx, "DELETE"); }

    // ---- transport of the received message
    private static Protocol rcvProto(MessageContext ctx) { return ctx.received().socket().proto(); }

    @Export(kemiOnly = true) public boolean is_UDP(MessageContext ctx) { return rcvProto(ctx) == Protocol.UDP; }
    @Export(kemiOnly = true) public boolean is_TCP(MessageContext ctx) { return rcvProto(ctx) == Protocol.TCP; }
    @Export(kemiOnly = true) public boolean is_TLS(MessageContext ctx) { return rcvProto(ctx) == Protocol.TLS; }
    @Export(kemiOnly = true) public boolean is_WS(MessageContext ctx) { return rcvProto(ctx) == Protocol.WS; }
    @Export(kemiOnly = true) public boolean is_WSS(MessageContext ctx) { return rcvProto(ctx) == Protocol.WSS; }
    @Export(kemiOnly = true) public boolean is_WSX(MessageContext ctx) { return rcvProto(ctx) == Protocol.WS || rcvProto(ctx) == Protocol.WSS; }
    @Export(kemiOnly = true) public boolean is_SCTP(MessageContext ctx) { return rcvProto(ctx) == Protocol.SCTP; }

    /** Letters: e TLS, s SCTP, t TCP, u UDP, v WS, w WSS. */
    @Export(kemiOnly = true)
    public boolean is_proto(MessageContext ctx, String letters) {
        Protocol p = rcvProto(ctx);
        for (int i = 0; i < letters.length(); i++) {
            Protocol want = switch (Character.toLowerCase(letters.charAt(i))) {
                case 'e' -> Protocol.TLS;
                case 's' -> Protocol.SCTP;
                case 't' -> Protocol.TCP;
                case 'u' -> Protocol.UDP;
                case 'v' -> Protocol.WS;
                case 'w' -> Protocol.WSS;
                default -> null;
            };
            if (want == p) return true;
        }
        return false;
    }

    @Export(kemiOnly = true)
    public boolean is_IPv4(MessageContext ctx) { return !is_IPv6(ctx); }

    @Export(kemiOnly = true)
    public boolean is_IPv6(MessageContext ctx) {
        return ctx.received().socket().address().getAddress() instanceof Inet6Address;
    }

    @Export(kemiOnly = true)
    public boolean is_src_port(MessageContext ctx, int port) { return ctx.received().source().getPort() == port; }

    @Export(kemiOnly = true)
    public boolean is_dst_port(MessageContext ctx, int port) { return ctx.received().socket().address().getPort() == port; }

    /**
     * force_tcp_alias(port): later requests for the sender's IP and that port reuse the TCP/TLS
     * connection this message came over. 1 (nothing to do for other transports), -1 the
     * connection is gone.
     */
    @Export(natives = {"force_tcp_alias", "add_tcp_alias"}, routes = RouteType.NOT_ONSEND, returns = {1, -1})
    public int add_tcp_alias(MessageContext ctx, int port) {
        Protocol p = rcvProto(ctx);
        if (p != Protocol.TCP && p != Protocol.TLS) return 1;
        int port0 = port != 0 ? port : p == Protocol.TLS ? 5061 : 5060;
        if (!ctx.services().sender().addTcpAlias(ctx.received().connectionId(), port0)) {
            ScriptLog.log(ScriptLog.ERR, "adding tcp alias failed");
            return -1;
        }
        return 1;
    }

    /** force_tcp_alias(): the alias port is the first Via's sent-by port. */
    @Export(natives = {"force_tcp_alias", "add_tcp_alias"}, routes = RouteType.NOT_ONSEND, returns = {1, -1})
    public int add_tcp_alias_via(MessageContext ctx) {
        int port;
        try {
            List<Via> vias = ctx.msg().vias();
            port = vias.isEmpty() ? 0 : Math.max(vias.get(0).port(), 0);
        } catch (SipParseException e) {
            return -1;
        }
        return add_tcp_alias(ctx, port);
    }

    // ---- transport of the next hop
    /** $du, else the new R-URI; for replies the second Via. Null if unknown. */
    private static Protocol nextProto(MessageContext ctx) {
        SipMessage m = ctx.msg();
        try {
            if (!m.isRequest()) {
                List<Via> vias = m.vias();
                return vias.size() < 2 ? null : Protocol.parse(vias.get(1).transport());
            }
            return NextHop.protocol(SipUri.parse(NextHop.uri(ctx)));
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("core: nextProto", e);
            return null;
        }
    }

    private static String nextHost(MessageContext ctx) {
        SipMessage m = ctx.msg();
        try {
            if (!m.isRequest()) {
                List<Via> vias = m.vias();
                return vias.size() < 2 ? null : vias.get(1).host();
            }
            return SipUri.parse(NextHop.uri(ctx)).host();
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("core: nextHost", e);
            return null;
        }
    }

    @Export(kemiOnly = true) public boolean to_UDP(MessageContext ctx) { return nextProto(ctx) == Protocol.UDP; }
    @Export(kemiOnly = true) public boolean to_TCP(MessageContext ctx) { return nextProto(ctx) == Protocol.TCP; }
    @Export(kemiOnly = true) public boolean to_TLS(MessageContext ctx) { return nextProto(ctx) == Protocol.TLS; }
    @Export(kemiOnly = true) public boolean to_SCTP(MessageContext ctx) { return nextProto(ctx) == Protocol.SCTP; }
    @Export(kemiOnly = true) public boolean to_WS(MessageContext ctx) { return nextProto(ctx) == Protocol.WS; }
    @Export(kemiOnly = true) public boolean to_WSS(MessageContext ctx) { return nextProto(ctx) == Protocol.WSS; }
    @Export(kemiOnly = true) public boolean to_WSX(MessageContext ctx) { return to_WS(ctx) || to_WSS(ctx); }

    @Export(kemiOnly = true)
    public boolean to_IPv6(MessageContext ctx) {
        String h = nextHost(ctx);
        return h != null && h.startsWith("[");
    }

    @Export(kemiOnly = true)
    public boolean to_IPv4(MessageContext ctx) {
        String h = nextHost(ctx);
        return h != null && !h.startsWith("[") && h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    // ---- myself (KEMI rule: a port missing from the URI is a wildcard)
    @Export(nativeModule = "kex")
    public boolean is_myself(MessageContext ctx, String uriOrHost) { return ctx.isMyself(uriOrHost, false); }

    @Export(kemiOnly = true)
    public boolean is_myself_ruri(MessageContext ctx) {
        return ctx.msg().isRequest() && ctx.isMyself(ctx.msg().requestUri(), false);
    }

    @Export(kemiOnly = true)
    public boolean is_myself_duri(MessageContext ctx) { return ctx.dstUri() != null && ctx.isMyself(ctx.dstUri(), false); }

    @Export(kemiOnly = true)
    public boolean is_myself_nhuri(MessageContext ctx) {
        return ctx.msg().isRequest() && ctx.isMyself(NextHop.uri(ctx), false);
    }

    @Export(kemiOnly = true)
    public boolean is_myself_furi(MessageContext ctx) {
        try {
            NameAddr f = ctx.msg().from();
            return f != null && ctx.isMyself(f.uri(), false);
        } catch (SipParseException e) {
            return false;
        }
    }

    @Export(kemiOnly = true)
    public boolean is_myself_turi(MessageContext ctx) {
        try {
            NameAddr t = ctx.msg().to();
            return t != null && ctx.isMyself(t.uri(), false);
        } catch (SipParseException e) {
            return false;
        }
    }

    @Export(kemiOnly = true)
    public boolean is_myself_suri(MessageContext ctx) {
        String ip = ctx.received().sourceIp();
        if (ip.indexOf(':') >= 0) ip = "[" + ip + "]";
        return ctx.isMyself("sip:" + ip + ":" + ctx.received().source().getPort()
                + ";transport=" + rcvProto(ctx).uriName(), false);
    }

    @Export(kemiOnly = true)
    public boolean is_myself_srcip(MessageContext ctx) {
        return ctx.services().isMyself(ctx.received().sourceIp(), 0, null);
    }

    // ---- R-URI and destination
    @Export(natives = {"seturi", "rewriteuri"}, routes = RouteType.NOT_ONSEND)
    public boolean seturi(MessageContext ctx, String uri) {
        if (!ctx.msg().isRequest() || uri == null || uri.isEmpty()) return false;
        ctx.msg().setRequestUri(uri);
        return true;
    }

    private static boolean rewrite(MessageContext ctx, java.util.function.UnaryOperator<UriText> f) {
        if (!ctx.msg().isRequest()) return false;
        UriText u = UriText.split(ctx.msg().requestUri());
        if (u == null) return false;
        ctx.msg().setRequestUri(f.apply(u).toString());
        return true;
    }

    @Export(natives = {"setuser", "rewriteuser", "setu"}, routes = RouteType.NOT_ONSEND)
    public boolean setuser(MessageContext ctx, String user) { return rewrite(ctx, u -> u.withUser(user)); }

    @Export(natives = {"sethost", "rewritehost", "seth"}, routes = RouteType.NOT_ONSEND)
    public boolean sethost(MessageContext ctx, String host) { return rewrite(ctx, u -> u.withHost(host)); }

    @Export(natives = {"sethostport", "rewritehostport", "sethp"}, nativeOnly = true, routes = RouteType.NOT_ONSEND)
    public boolean sethostport(MessageContext ctx, String hostport) {
        UriText hp = UriText.split("sip:" + hostport);
        return hp != null && rewrite(ctx, u -> u.withHost(hp.host()).withPort(hp.port()));
    }

    @Export(natives = {"setport", "rewriteport", "setp"}, nativeOnly = true, routes = RouteType.NOT_ONSEND)
    public boolean setport(MessageContext ctx, String port) { return rewrite(ctx, u -> u.withPort(port)); }

    @Export(natives = "prefix", nativeOnly = true, routes = RouteType.NOT_ONSEND)
    public boolean prefix(MessageContext ctx, String p) { return rewrite(ctx, u -> u.withUser(p + u.user())); }

    @Export(natives = "strip", nativeOnly = true, routes = RouteType.NOT_ONSEND)
    public boolean strip(MessageContext ctx, int n) {
        return rewrite(ctx, u -> u.withUser(u.user().length() <= n ? "" : u.user().substring(n)));
    }

    @Export(natives = "strip_tail", nativeOnly = true, routes = RouteType.NOT_ONSEND)
    public boolean stripTail(MessageContext ctx, int n) {
        return rewrite(ctx, u -> u.withUser(u.user().length() <= n ? "" : u.user().substring(0, u.user().length() - n)));
    }

    @Export(natives = "revert_uri", nativeOnly = true, routes = RouteType.NOT_ONSEND)
    public boolean revertUri(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return false;
        ctx.msg().setRequestUri(ctx.msg().originalRequestUri());
        return true;
    }

    /** Kamailio returns true even when the URI is rejected; KEMI's (kemi.c) leaves the R-URI consumed. */
    @Export(kemiOnly = true)
    public boolean setdsturi(MessageContext ctx, String uri) {
        setDst(ctx, uri);
        return true;
    }

    /** kex's (km_core.c) also marks the R-URI usable again (ruri_mark_new), so failure_route can t_relay to the new hop. */
    @Export(natives = "setdsturi", nativeOnly = true, nativeModule = "kex")
    public boolean setdsturi_native(MessageContext ctx, String uri) {
        if (setDst(ctx, uri) && ctx.msg().isRequest()) ctx.msg().markRequestUriNew();
        return true;
    }

    private static boolean setDst(MessageContext ctx, String uri) {
        try {
            SipUri.parse(uri);
            ctx.setDstUri(uri);
            return true;
        } catch (SipParseException | RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "setdsturi: bad URI '" + uri + "'");
            return false;
        }
    }

    @Export(nativeModule = "kex")
    public boolean resetdsturi(MessageContext ctx) {
        ctx.setDstUri(null);
        return true;
    }

    @Export(nativeModule = "kex")
    public boolean isdsturiset(MessageContext ctx) { return ctx.dstUri() != null; }

    /** Native append_branch(): the current R-URI becomes an extra branch. corex's in 5.6.3: only with corex loaded. */
    @Export(natives = "append_branch", nativeOnly = true, nativeModule = "corex", routes = RouteType.REQUEST | RouteType.FAILURE,
            returns = {1, -1})
    public int appendBranch(MessageContext ctx) {
        return dev.kemi.runtime.modules.corex.AppendBranch.append(ctx, null, null);
    }

    @Export(natives = "append_branch", nativeOnly = true, nativeModule = "corex", routes = RouteType.REQUEST | RouteType.FAILURE,
            returns = {1, -1})
    public int appendBranch(MessageContext ctx, String uri) {
        return dev.kemi.runtime.modules.corex.AppendBranch.append(ctx, uri, null);
    }

    // ---- forwarding
    @Export(routes = RouteType.NOT_ONSEND, returns = {1, -1})
    public int forward(MessageContext ctx) { return StatelessForward.forward(ctx, NextHop.uri(ctx)); }

    /** KEMI forward_uri; native forward("host") / forward("sip:uri"). */
    @Export(natives = "forward", routes = RouteType.NOT_ONSEND, returns = {1, -1})
    public int forward_uri(MessageContext ctx, String uri) {
        if (uri.indexOf(':') < 0 || !(uri.startsWith("sip:") || uri.startsWith("sips:"))) uri = "sip:" + uri;
        return StatelessForward.forward(ctx, uri);
    }

    @Export(natives = "forward", nativeOnly = true, routes = RouteType.NOT_ONSEND, returns = {1, -1})
    public int forward(MessageContext ctx, String host, int port) {
        return StatelessForward.forward(ctx, "sip:" + host + ":" + port);
    }

    /**
     * Native force_send_socket([proto:]host[:port]): requests forwarded from now on (forward,
     * t_relay) leave from that socket of ours. Kamailio refuses a socket it does not listen on
     * at startup; here that is an error at the call.
     */
    @Export(nativeOnly = true, returns = {1, -1}, routes = RouteType.NOT_ONSEND)
    public int force_send_socket(MessageContext ctx, String socket) {
        ListenSocket ls = SendSocket.parse(ctx, socket);
        if (ls == null) {
            ScriptLog.log(ScriptLog.ERR, "force_send_socket: not listening on " + socket);
            return -1;
        }
        SendSocket.set(ctx, ls);
        return 1;
    }

    @Export
    public boolean set_forward_close(MessageContext ctx) {
        ctx.setForwardClose(true);
        return true;
    }

    @Export
    public boolean set_forward_no_connect(MessageContext ctx) {
        ctx.setForwardNoConnect(true);
        return true;
    }

    @Export
    public boolean set_reply_close(MessageContext ctx) {
        ctx.setReplyClose(true);
        return true;
    }

    @Export
    public boolean set_reply_no_connect(MessageContext ctx) {
        ctx.setReplyNoConnect(true);
        return true;
    }

    /** Host shown in our Via and Record-Route for this message. */
    @Export(returns = {1, -1}, routes = RouteType.NOT_ONSEND)
    public int set_advertised_address(MessageContext ctx, String host) {
        if (host == null || host.isEmpty()) return -1;
        Advertised.setHost(ctx, host);
        return 1;
    }

    /** Port (as text) shown in our Via and Record-Route for this message. */
    @Export(returns = {1, -1}, routes = RouteType.NOT_ONSEND)
    public int set_advertised_port(MessageContext ctx, String port) {
        try {
            int p = Integer.parseInt(port.trim());
            if (p <= 0 || p > 65535) return -1;
            Advertised.setPort(ctx, p);
            return 1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Export(routes = RouteType.NOT_ONSEND)
    public boolean force_rport(MessageContext ctx) {
        ctx.setForceRport(true);
        return true;
    }

    @Export(routes = RouteType.NOT_ONSEND)
    public boolean add_local_rport(MessageContext ctx) {
        LocalRport.set(ctx);
        return true;
    }

    /**
     * KSR.route("NAME"): runs the cfg's native route[NAME] (kemi.c sr_kemi_core_route). -1 no
     * such block, 0 it ended with exit/drop/return 0, else its return code.
     */
    @Export(kemiOnly = true, returns = {1, 0, -1})
    public int route(MessageContext ctx, String name) {
        return ctx.services().script().route(name, ctx);
    }
}
