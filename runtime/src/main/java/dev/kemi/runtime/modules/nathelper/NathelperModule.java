package dev.kemi.runtime.modules.nathelper;

import dev.kemi.api.Export;
import dev.kemi.api.IntLiteral;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.ReplyHandler;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ContactRewrite;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.usrloc.DbMode;
import dev.kemi.runtime.modules.usrloc.UsrlocApi;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.sip.CSeq;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NAT traversal helpers (Kamailio's nathelper): detecting NATed user agents, rewriting their
 * Contact and SDP, the alias parameter for routing back to them, the received URI registrar
 * stores, and keepalive pings of their registrations.
 */
@Module(value = "nathelper", loadName = "nathelper")
public final class NathelperModule implements RuntimeModule, ReplyHandler, RpcProvider, PvExports {
    private static final int REQ_RPL_BR_LOCAL = RouteType.REQUEST | RouteType.ONREPLY | RouteType.BRANCH | RouteType.LOCAL;
    private static final int ALL_BUT_EVENT = REQ_RPL_BR_LOCAL | RouteType.FAILURE;
    private static final int REQ_BR_LOCAL = RouteType.REQUEST | RouteType.BRANCH | RouteType.LOCAL;

    private final NathelperConfig cfg = new NathelperConfig();
    private PrivateNets nets = new PrivateNets(true);
    private NatUacTest uacTest = new NatUacTest(nets);
    private NatPinger pinger;
    private dev.kemi.api.PvProvider pvs;
    private final java.util.Map<String, Pv> pvCache = new java.util.concurrent.ConcurrentHashMap<>();
    private int sippingBflag = -1;
    private int disableBflag = -1;

    // ---- modparams
    @Param("natping_interval")
    public void natpingInterval(int v) { cfg.natpingInterval = v; }

    @Param("ping_nated_only")
    public void pingNatedOnly(int v) { cfg.pingNatedOnly = v != 0; }

    @Param("nortpproxy_str")
    public void nortpproxyStr(String v) {
        String s = v;
        while (!s.isEmpty() && (s.endsWith("\r") || s.endsWith("\n"))) s = s.substring(0, s.length() - 1);
        cfg.nortpproxy = s;
    }

    @Param("received_avp")
    public void receivedAvp(String v) {
        if (v.isEmpty()) {
            cfg.receivedAvp = null;
            return;
        }
        PvSpec s = PvSpec.parse(v.strip());
        if (!"avp".equals(s.name()) || s.param() == null) throw new IllegalArgumentException("malformed or non AVP " + v + " AVP definition");
        cfg.receivedAvp = s.param();
    }

    @Param("force_socket")
    public void forceSocket(String v) { cfg.forceSocketSpec = v.strip(); }

    @Param("sipping_from")
    public void sippingFrom(String v) { cfg.sippingFrom = v; }

    @Param("sipping_method")
    public void sippingMethod(String v) {
        if (v.isEmpty() || !v.chars().allMatch(c -> c > ' ' && c < 127)) throw new IllegalArgumentException("invalid SIP ping method [" + v + "]");
        cfg.sippingMethod = v;
    }

    @Param("sipping_bflag")
    public void sippingBflag(int v) { sippingBflag = bflag("sipping_bflag", v); }

    @Param("natping_disable_bflag")
    public void natpingDisableBflag(int v) { disableBflag = bflag("natping_disable_bflag", v); }

    @Param("natping_processes")
    public void natpingProcesses(int v) {
        if (v < 0) throw new IllegalArgumentException("bad config - natping_processes must be >= 0");
        cfg.natpingProcesses = v;
    }

    @Param("append_sdp_oldmediaip")
    public void appendSdpOldmediaip(int v) { cfg.keepOldMediaIp = v != 0; }

    @Param("filter_server_id")
    public void filterServerId(int v) { cfg.filterServerId = v != 0; }

    @Param("nat_addr_mode")
    public void natAddrMode(int v) { cfg.extraNets = v == 1; }

    @Param("alias_name")
    public void aliasName(String v) {
        if (!v.isEmpty()) cfg.aliasParam = ";" + v + "=";
    }

    private static int bflag(String name, int v) {
        if (v < -1 || v > 31) throw new IllegalArgumentException(name + " must be a branch flag 0..31");
        return v;
    }

    @Override
    public void init(ProxyServices services) {
        pvs = PvModule.providerOf(services);
        nets = new PrivateNets(cfg.extraNets);
        uacTest = new NatUacTest(nets);
        if (cfg.forceSocketSpec != null && !cfg.forceSocketSpec.isEmpty()) {
            cfg.forceSocket = socket(services, cfg.forceSocketSpec);
            if (cfg.forceSocket == null) ScriptLog.log(ScriptLog.ERR, "nathelper: non-local force_socket <" + cfg.forceSocketSpec + ">");
        }
        if (cfg.natpingInterval <= 0) return;
        UsrlocApi ul = services.api(UsrlocApi.class, "nathelper", "usrloc");
        if (cfg.pingNatedOnly && ul.natFlag() == 0) {
            throw new IllegalStateException("nathelper: bad config - ping_nated_only enabled, but no nat bflag set in usrloc module");
        }
        if (ul.dbMode() == DbMode.DB_ONLY) {
            throw new IllegalStateException("nathelper: natping_interval with usrloc db_mode 3 (contacts only in the database) is not implemented");
        }
        cfg.sippingFlag = sippingBflag < 0 ? 0 : 1 << sippingBflag;
        cfg.natpingDisableFlag = disableBflag < 0 ? 0 : 1 << disableBflag;
        if (cfg.sippingFlag != 0 && cfg.sippingFrom.isEmpty()) {
            throw new IllegalStateException("nathelper: SIP ping enabled, but SIP ping FROM is empty!");
        }
        pinger = new NatPinger(services, ul, cfg);
        pinger.start();
    }

    @Override
    public void shutdown() {
        if (pinger != null) pinger.stop();
    }

    /** "udp:1.2.3.4:5060" or "1.2.3.4:5060" or "1.2.3.4": one of our UDP sockets. */
    private static ListenSocket socket(ProxyServices services, String spec) {
        String s = spec;
        Protocol proto = null;
        int c = s.indexOf(':');
        if (c > 0 && s.substring(0, c).matches("(?i)udp|tcp|tls|sctp|ws|wss")) {
            proto = Protocol.parse(s.substring(0, c));
            s = s.substring(c + 1);
        }
        String host = s;
        int port = 0;
        int pc = s.lastIndexOf(':');
        if (pc > 0 && s.indexOf(']') < pc && (s.indexOf(':') == pc || s.startsWith("["))) {
            host = s.substring(0, pc);
            port = Integer.parseInt(s.substring(pc + 1));
        }
        var addr = NatUacTest.literal(host);
        for (ListenSocket ls : services.sockets()) {
            if (proto != null && ls.proto() != proto) continue;
            if (addr != null && !ls.address().getAddress().equals(addr)) continue;
            if (port != 0 && ls.address().getPort() != port) continue;
            return ls;
        }
        return null;
    }

    /** nathelper.enable_ping 0|1: stops or resumes the keepalives (only with natping_interval, as in Kamailio). */
    @Override
    public void registerRpc(RpcRegistry registry) {
        registry.register("nathelper.enable_ping", p -> {
            if (cfg.natpingInterval <= 0) throw new RpcException(500, "NATping disabled");
            if (p.isEmpty() || p.get(0) == null) throw new RpcException(500, "No parameter");
            int v;
            try {
                v = p.get(0) instanceof Number n ? n.intValue() : Integer.parseInt(p.get(0).toString().strip());
            } catch (NumberFormatException e) {
                throw new RpcException(500, "No parameter");
            }
            cfg.pingEnabled = v != 0;
            return null;
        });
    }

    // ---- $rr_count, $rr_top_count
    @Override
    public java.util.Set<String> pvNames() {
        return java.util.Set.of("rr_count", "rr_top_count");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        boolean top = spec.name().equals("rr_top_count");
        return c -> {
            MessageContext ctx = (MessageContext) c;
            try {
                List<dev.kemi.runtime.sip.NameAddr> rr = ctx.msg().recordRoutes();
                if (!top) return rr.size();
                if (rr.isEmpty()) return 0;
                return rr.get(0).parsedUri().param("r2") != null ? 2 : 1;
            } catch (SipParseException e) {
                return null;
            }
        };
    }

    // ---- replies to our pings: absorbed (sipping_rpl_filter)
    @Override
    public boolean onReply(MessageContext ctx) {
        if (pinger == null || cfg.sippingFlag == 0) return false;
        try {
            if (ctx.msg().vias().size() != 1) return false;
            CSeq cs = ctx.msg().cseq();
            if (!cs.method().equals(cfg.sippingMethod)) return false;
        } catch (SipParseException e) {
            return false;
        }
        String cid = ctx.msg().callId();
        String prefix = pinger.callIdPrefix;
        return cid != null && cid.length() > prefix.length() + 1 && cid.startsWith(prefix) && cid.charAt(prefix.length()) == '-';
    }

    // ---- source address helpers
    private static String srcIp(MessageContext ctx) {
        return NetUtil.toAddressString(ctx.received().source().getAddress());
    }

    private static boolean srcV6(MessageContext ctx) {
        return ctx.received().source().getAddress() instanceof Inet6Address;
    }

    private static int srcPort(MessageContext ctx) {
        return ctx.received().source().getPort();
    }

    /** Kamailio's proto number of the receiving socket: 1 udp, 2 tcp, 3 tls, 4 sctp, 5 ws, 6 wss. */
    private static int rcvProto(MessageContext ctx) {
        return ctx.received().socket().proto().ordinal() + 1;
    }

    /** get_src_uri short form: sip:ip:port, ;transport= only when not UDP. */
    private static String srcUri(MessageContext ctx) {
        String ip = srcV6(ctx) ? "[" + srcIp(ctx) + "]" : srcIp(ctx);
        Protocol p = ctx.received().socket().proto();
        return "sip:" + ip + ":" + srcPort(ctx) + (p == Protocol.UDP ? "" : ";transport=" + p.uriName());
    }

    // ---- the Contact
    /** The first Contact's URI as this message's functions see it: rewritten by fix_nated_contact/set_contact_alias, else as received. */
    private SipUri contactUri(MessageContext ctx) {
        String rw = ContactRewrite.of(ctx);
        if (rw != null) {
            try {
                return SipUri.parse(rw);
            } catch (SipParseException e) {
                return null;
            }
        }
        ContactSpot c = ContactSpot.of(ctx.msg());
        return c == null ? null : c.parsed();
    }

    /** 1 if any test selected by the flag bits holds, -1 otherwise. */
    @Export(routes = ALL_BUT_EVENT, returns = {1, -1})
    public int nat_uac_test(MessageContext ctx, int flags) {
        return uacTest.run(ctx, flags, contactUri(ctx));
    }

    /** 1 private (RFC 1918, RFC 6598, RFC 7335), -1 not, -2 empty (the cfg function's fixup check). */
    @Export(value = "is_rfc1918_native", natives = "is_rfc1918", nativeOnly = true, routes = RouteType.ANY, returns = {1, -1, -2})
    public int isRfc1918Native(MessageContext ctx, String address) {
        if (address == null || address.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: invalid address parameter");
            return -2;
        }
        return is_rfc1918(ctx, address);
    }

    /** KSR.nathelper.is_rfc1918: 1 private, -1 not; an empty string is just not an address here. */
    @Export(kemiOnly = true, routes = RouteType.ANY, returns = {1, -1})
    public int is_rfc1918(MessageContext ctx, String address) {
        return nets.test(address) == 1 ? 1 : -1;
    }

    /** Contact host:port replaced by the source address (maddr dropped). 1, or -1. */
    @Export(routes = REQ_RPL_BR_LOCAL, returns = {1, -1})
    public int fix_nated_contact(MessageContext ctx) {
        ContactSpot c = ContactSpot.of(ctx.msg());
        if (c == null) return -1;
        if (ContactRewrite.of(ctx) != null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: you can't call fix_nated_contact twice, check your config!");
            return -1;
        }
        String uri = c.uri();
        int hs = c.hostStart() - c.uriStart(), hpe = c.hostPortEnd() - c.uriStart();
        String host = srcV6(ctx) ? "[" + srcIp(ctx) + "]" : srcIp(ctx);
        String rest = uri.substring(hpe);
        int[] maddr = uriParam(uri, hpe, "maddr");
        if (maddr != null) {
            String p1 = uri.substring(hpe, maddr[0]);
            int l = p1.length();
            while (l > 0 && (p1.charAt(l - 1) == ' ' || p1.charAt(l - 1) == '\t' || p1.charAt(l - 1) == ';')) l--;
            rest = p1.substring(0, l) + uri.substring(maddr[1]);
        }
        String nuri = uri.substring(0, hs) + host + ":" + srcPort(ctx) + rest;
        ctx.msg().replaceRange(c.uriStart(), c.uriEnd(), nuri);
        ContactRewrite.set(ctx, nuri);
        return 1;
    }

    /** {start, end} in uri of the parameter "name[=value]" after offset from (before any '?'), or null. */
    private static int[] uriParam(String uri, int from, String name) {
        int q = uri.indexOf('?', from);
        int end = q < 0 ? uri.length() : q;
        int i = uri.indexOf(';', from);
        while (i >= 0 && i < end) {
            int s = i + 1;
            while (s < end && (uri.charAt(s) == ' ' || uri.charAt(s) == '\t')) s++;
            int e = uri.indexOf(';', s);
            if (e < 0 || e > end) e = end;
            int eq = uri.indexOf('=', s);
            String n = (eq >= 0 && eq < e ? uri.substring(s, eq) : uri.substring(s, e)).strip();
            if (n.equalsIgnoreCase(name)) return new int[] {s, e};
            i = e < end ? e : -1;
        }
        return null;
    }

    /** ;alias=ip~port~proto of the source appended to the Contact URI (in <> if it had none). 1 or -1. */
    @Export(routes = REQ_RPL_BR_LOCAL, returns = {1, -1})
    public int set_contact_alias(MessageContext ctx) {
        return setContactAlias(ctx, false);
    }

    /** As set_contact_alias, an alias parameter already there removed first. */
    @Export(kemiOnly = true, routes = REQ_RPL_BR_LOCAL, returns = {1, -1})
    public int set_contact_alias_trim(MessageContext ctx) {
        return setContactAlias(ctx, true);
    }

    @Export(value = "set_contact_alias", nativeOnly = true, routes = REQ_RPL_BR_LOCAL, returns = {1, -1})
    public int set_contact_alias_native(MessageContext ctx, @IntLiteral int trim) {
        return setContactAlias(ctx, trim > 0);
    }

    private int setContactAlias(MessageContext ctx, boolean trim) {
        ContactSpot c = ContactSpot.of(ctx.msg());
        if (c == null) return -1;
        if (ContactRewrite.of(ctx) != null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: you can't update contact twice, check your config!");
            return -1;
        }
        String uri = c.uri();
        if (trim) {
            String t = RuriAlias.trim(uri, cfg.aliasParam);
            if (t != null) uri = t;
        }
        String host = srcV6(ctx) ? "[" + srcIp(ctx) + "]" : srcIp(ctx);
        String nuri = uri + cfg.aliasParam + host + "~" + srcPort(ctx) + "~" + rcvProto(ctx);
        ctx.msg().replaceRange(c.uriStart(), c.uriEnd(), c.bracketed() ? nuri : "<" + nuri + ">");
        ContactRewrite.set(ctx, nuri);
        return 1;
    }

    /** ;alias= of the source added after the Contact host:port unless the Contact already is the source. 1 added, 2 not needed or no Contact, -1 error. */
    @Export(routes = REQ_RPL_BR_LOCAL, returns = {1, 2, -1})
    public int add_contact_alias(MessageContext ctx) {
        if (ctx.msg().headerCount("Contact") == 0) return 2;
        ContactSpot c = ContactSpot.of(ctx.msg());
        if (c == null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: failed to get contact uri");
            return -1;
        }
        var ip = NatUacTest.literal(c.parsed().host());
        if (ip != null && ip.equals(ctx.received().source().getAddress())
                && (srcPort(ctx) == c.portNo() || (c.parsed().port() < 0 && srcPort(ctx) == 5060))
                && c.proto() == rcvProto(ctx)) {
            return 2;
        }
        String host = srcV6(ctx) ? "[" + srcIp(ctx) + "]" : srcIp(ctx);
        return insertAlias(ctx, c, host, Integer.toString(srcPort(ctx)), rcvProto(ctx));
    }

    /** As add_contact_alias with the address given. 1, 2 no Contact, -1 bad address or error. */
    @Export(natives = "add_contact_alias", routes = RouteType.REQUEST | RouteType.ONREPLY | RouteType.BRANCH | RouteType.FAILURE, returns = {1, 2, -1})
    public int add_contact_alias_addr(MessageContext ctx, String ip, String port, String proto) {
        if (ctx.msg().headerCount("Contact") == 0) return 2;
        ContactSpot c = ContactSpot.of(ctx.msg());
        if (c == null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: failed to get contact uri");
            return -1;
        }
        if (NatUacTest.literal(ip) == null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: ip param value " + ip + " is not valid IP address");
            return -1;
        }
        int p;
        try {
            p = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p <= 0 || p > 65535) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: port param value is not valid port");
            return -1;
        }
        int pr = switch (proto.toLowerCase(java.util.Locale.ROOT)) {
            case "udp" -> 1;
            case "tcp" -> 2;
            case "tls" -> 3;
            case "sctp" -> 4;
            case "ws" -> 5;
            case "wss" -> 6;
            default -> -1;
        };
        if (pr < 0) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: proto param value " + proto + " is not a known protocol");
            return -1;
        }
        return insertAlias(ctx, c, ip, port, pr);
    }

    private int insertAlias(MessageContext ctx, ContactSpot c, String host, String port, int proto) {
        if (ContactRewrite.of(ctx) != null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: you can't call add_contact_alias twice, check your config!");
            return -1;
        }
        String param = cfg.aliasParam + host + "~" + port + "~" + proto;
        if (!c.headerHasBracket()) {
            ctx.msg().replaceRange(c.valueStart(), c.valueStart(), "<");
            param += ">";
        }
        ctx.msg().replaceRange(c.hostPortEnd(), c.hostPortEnd(), param);
        return 1;
    }

    /** $du from the R-URI's first alias parameter, which is removed. 1, 2 none, -1 bad alias. */
    @Export(routes = REQ_BR_LOCAL, returns = {1, 2, -1})
    public int handle_ruri_alias(MessageContext ctx) {
        return handle_ruri_alias_mode(ctx, 0);
    }

    /** As handle_ruri_alias; mode 0 the first alias parameter, else the last. */
    @Export(natives = "handle_ruri_alias", routes = REQ_BR_LOCAL, returns = {1, 2, -1})
    public int handle_ruri_alias_mode(MessageContext ctx, int mode) {
        RuriAlias.Result r = RuriAlias.handle(ctx.msg().requestUri(), cfg.aliasParam, mode);
        if (r == null) return 2;
        if (r.error() != null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: " + r.error());
            return -1;
        }
        ctx.setDstUri(r.dstUri());
        ctx.msg().setRequestUri(r.ruri());
        return 1;
    }

    /** "sip:ip:port;transport=proto" from the alias parameter of the only Contact, written to a PV. 1, or -1. */
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int set_alias_to_pv(MessageContext ctx, @dev.kemi.api.PvName String pvName) {
        List<ContactSpot> all = ContactSpot.all(ctx.msg());
        ContactSpot c = ContactSpot.of(ctx.msg());
        if (c == null || all == null || ContactSpot.countInFirstHeader(ctx.msg()) != 1) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: Couldn't parse Contact Header");
            return -1;
        }
        String text = ctx.msg().receivedText(c.valueStart(), c.valueEnd());
        String uri = RuriAlias.aliasUri(text, cfg.aliasParam);
        if (uri == null) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: Alias sign couldn't be found");
            return -1;
        }
        Pv pv;
        try {
            pv = pvCache.computeIfAbsent(pvName.strip(), n -> pvs.resolve(PvSpec.parse(n)));
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: Failed to malloc destination pseudo-variable");
            return -1;
        }
        if (!pv.writable()) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: Destination pseudo-variable is not writable: [" + pvName + "]");
            return -1;
        }
        pv.set(ctx, uri);
        return 1;
    }

    // ---- REGISTER
    /** The source as received_avp (for registrar's received); 1, or 1 doing nothing without received_avp. */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int fix_nated_register(MessageContext ctx) {
        if (cfg.receivedAvp == null) return 1;
        AvpStore.of(ctx).add(cfg.receivedAvp, srcUri(ctx));
        return 1;
    }

    /** ;received="sip:src" on every Contact (a URI parameter with a non-zero flag, UDP only). 1 or -1. */
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int add_rcv_param(MessageContext ctx, int uriParam) {
        if (uriParam != 0 && ctx.received().socket().proto() != Protocol.UDP) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: adding received parameter to Contact URI works only for UDP");
            return -1;
        }
        List<ContactSpot> all = ContactSpot.all(ctx.msg());
        if (all == null) return -1;
        String uri = srcUri(ctx);
        for (ContactSpot c : all) {
            if (uriParam != 0) ctx.msg().replaceRange(c.uriEnd(), c.uriEnd(), ";received=" + uri);
            else ctx.msg().replaceRange(c.valueEnd(), c.valueEnd(), ";received=\"" + uri + "\"");
        }
        return 1;
    }

    @Export(value = "add_rcv_param", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int add_rcv_param_native(MessageContext ctx) {
        return add_rcv_param(ctx, 0);
    }

    // ---- SDP
    /** Level bits: 1 a=direction:active, 2 c= lines, 4 nortpproxy line, 8 o= lines; addresses become the source's. 1 changed, 2 no address changed, -1 error. */
    @Export(routes = ALL_BUT_EVENT, returns = {1, 2, -1})
    public int fix_nated_sdp(MessageContext ctx, int level) {
        return fix_nated_sdp_ip(ctx, level, "");
    }

    /** As fix_nated_sdp with that address instead of the source (empty: the source). */
    @Export(natives = "fix_nated_sdp", routes = ALL_BUT_EVENT, returns = {1, 2, -1})
    public int fix_nated_sdp_ip(MessageContext ctx, int level, String ip) {
        var msg = ctx.msg();
        byte[] raw = msg.currentBody();
        if (raw == null || raw.length == 0) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: cannot extract body from msg!");
            return -1;
        }
        String ct = msg.contentType();
        if (ct != null && !isSdp(ct)) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: cannot extract body from msg! (content type " + ct + ")");
            return -1;
        }
        SdpFixer f = new SdpFixer(new String(raw, StandardCharsets.ISO_8859_1));
        if (f.empty()) return -1;
        boolean changed;
        try {
            changed = f.fix(level, ip == null || ip.isEmpty() ? srcIp(ctx) : ip, cfg.nortpproxy, cfg.keepOldMediaIp);
        } catch (SdpFixer.Failure e) {
            ScriptLog.log(ScriptLog.ERR, "nathelper: " + e.getMessage());
            return -1;
        }
        String out = f.apply();
        if (!out.equals(new String(raw, StandardCharsets.ISO_8859_1))) msg.setBody(out.getBytes(StandardCharsets.ISO_8859_1), null);
        return changed ? 1 : 2;
    }

    private static boolean isSdp(String ct) {
        String t = ct.strip().toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) t = t.substring(0, semi);
        return t.replace(" ", "").replace("\t", "").equals("application/sdp");
    }
}
