package dev.kemi.runtime.modules.kemix;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.modules.pv.StandardPvs;
import java.nio.charset.StandardCharsets;

/** KSR.kx: direct getters for common message attributes (get = null if absent, gete = "", getw = "<null>"). */
@Module(value = "kx", loadName = "kemix")
public final class KemixModule implements dev.kemi.runtime.core.RuntimeModule {
    /** The cfg's #!define values of this proxy (set at init). */
    private java.util.Map<String, String> defines = java.util.Map.of();

    @Override
    public void init(dev.kemi.runtime.core.ProxyServices services) {
        defines = services.cfgDefines();
    }

    /** Only message PVs, which hold no state: this module's own resolver is enough. */
    private final StandardPvs pvs = new StandardPvs();

    private Pv pv(String name) {
        return pvs.resolve(PvSpec.parse(name));
    }

    private final Pv RU = pv("$ru"), RUSER = pv("$rU"), RHOST = pv("$rd"), OU = pv("$ou"), FU = pv("$fu"),
            FUSER = pv("$fU"), FHOST = pv("$fd"), TU = pv("$tu"), TUSER = pv("$tU"), THOST = pv("$td"),
            UA = pv("$ua"), BODY = pv("$rb"), CT = pv("$ct");

    private static Object e(Object v) { return v == null ? "" : v; }

    private static Object w(Object v) { return v == null ? "<null>" : v; }

    @Export(kemiOnly = true) public Object get_ruri(MessageContext c) { return RU.get(c); }
    @Export(kemiOnly = true) public Object get_ruser(MessageContext c) { return RUSER.get(c); }
    @Export(kemiOnly = true) public Object gete_ruser(MessageContext c) { return e(RUSER.get(c)); }
    @Export(kemiOnly = true) public Object getw_ruser(MessageContext c) { return w(RUSER.get(c)); }
    @Export(kemiOnly = true) public Object get_rhost(MessageContext c) { return RHOST.get(c); }
    @Export(kemiOnly = true) public Object gete_rhost(MessageContext c) { return e(RHOST.get(c)); }
    @Export(kemiOnly = true) public Object getw_rhost(MessageContext c) { return w(RHOST.get(c)); }
    @Export(kemiOnly = true) public Object get_ouri(MessageContext c) { return OU.get(c); }
    @Export(kemiOnly = true) public Object get_furi(MessageContext c) { return FU.get(c); }
    @Export(kemiOnly = true) public Object get_fuser(MessageContext c) { return FUSER.get(c); }
    @Export(kemiOnly = true) public Object gete_fuser(MessageContext c) { return e(FUSER.get(c)); }
    @Export(kemiOnly = true) public Object getw_fuser(MessageContext c) { return w(FUSER.get(c)); }
    @Export(kemiOnly = true) public Object get_fhost(MessageContext c) { return FHOST.get(c); }
    @Export(kemiOnly = true) public Object gete_fhost(MessageContext c) { return e(FHOST.get(c)); }
    @Export(kemiOnly = true) public Object getw_fhost(MessageContext c) { return w(FHOST.get(c)); }
    @Export(kemiOnly = true) public Object get_turi(MessageContext c) { return TU.get(c); }
    @Export(kemiOnly = true) public Object get_tuser(MessageContext c) { return TUSER.get(c); }
    @Export(kemiOnly = true) public Object gete_tuser(MessageContext c) { return e(TUSER.get(c)); }
    @Export(kemiOnly = true) public Object getw_tuser(MessageContext c) { return w(TUSER.get(c)); }
    @Export(kemiOnly = true) public Object get_thost(MessageContext c) { return THOST.get(c); }
    @Export(kemiOnly = true) public Object gete_thost(MessageContext c) { return e(THOST.get(c)); }
    @Export(kemiOnly = true) public Object getw_thost(MessageContext c) { return w(THOST.get(c)); }
    @Export(kemiOnly = true) public Object get_duri(MessageContext c) { return c.dstUri(); }
    @Export(kemiOnly = true) public Object gete_duri(MessageContext c) { return e(c.dstUri()); }
    @Export(kemiOnly = true) public Object getw_duri(MessageContext c) { return w(c.dstUri()); }
    @Export(kemiOnly = true) public Object get_cturi(MessageContext c) { return contactUri(c); }
    @Export(kemiOnly = true) public Object gete_cturi(MessageContext c) { return e(contactUri(c)); }
    @Export(kemiOnly = true) public Object getw_cturi(MessageContext c) { return w(contactUri(c)); }
    @Export(kemiOnly = true) public Object get_nhuri(MessageContext c) { return c.msg().isRequest() ? NextHop.uri(c) : null; }
    @Export(kemiOnly = true) public Object get_ua(MessageContext c) { return UA.get(c); }
    @Export(kemiOnly = true) public Object gete_ua(MessageContext c) { return e(UA.get(c)); }
    @Export(kemiOnly = true) public Object getw_ua(MessageContext c) { return w(UA.get(c)); }
    @Export(kemiOnly = true) public Object get_srcip(MessageContext c) { return c.received().sourceIp(); }
    @Export(kemiOnly = true) public Object get_srcport(MessageContext c) { return c.received().source().getPort(); }

    @Export(kemiOnly = true)
    public Object get_srcuri(MessageContext c) {
        String ip = c.received().sourceIp();
        if (ip.indexOf(':') >= 0) ip = "[" + ip + "]";
        String proto = c.received().socket().proto().uriName();
        return "sip:" + ip + ":" + c.received().source().getPort() + (proto.equals("udp") ? "" : ";transport=" + proto);
    }

    @Export(kemiOnly = true) public Object get_rcvip(MessageContext c) { return c.received().socket().address().getAddress().getHostAddress(); }
    @Export(kemiOnly = true) public Object get_rcvport(MessageContext c) { return c.received().socket().address().getPort(); }
    @Export(kemiOnly = true) public Object get_proto(MessageContext c) { return c.received().socket().proto().lower(); }

    /** Kamailio's PROTO_* numbers: UDP 1, TCP 2, TLS 3, SCTP 4, WS 5, WSS 6. */
    @Export(kemiOnly = true, intValue = true)
    public int get_protoid(MessageContext c) { return c.received().socket().proto().ordinal() + 1; }

    @Export(kemiOnly = true) public Object get_method(MessageContext c) { return c.msg().method(); }

    @Export(kemiOnly = true, intValue = true)
    public int get_status(MessageContext c) { return c.msg().isRequest() ? -1 : c.msg().status(); }

    @Export(kemiOnly = true)
    public Object gets_status(MessageContext c) { return c.msg().isRequest() ? null : Integer.toString(c.msg().status()); }

    @Export(kemiOnly = true) public Object get_body(MessageContext c) { return BODY.get(c); }
    @Export(kemiOnly = true) public Object gete_body(MessageContext c) { return e(BODY.get(c)); }
    @Export(kemiOnly = true) public Object getw_body(MessageContext c) { return w(BODY.get(c)); }

    @Export(kemiOnly = true, intValue = true)
    public int get_bodylen(MessageContext c) {
        byte[] b = c.msg().body();
        return b == null ? 0 : b.length;
    }

    @Export(kemiOnly = true, intValue = true) public int get_timestamp(MessageContext c) { return (int) (System.currentTimeMillis() / 1000); }
    @Export(kemiOnly = true) public Object get_callid(MessageContext c) { return c.msg().callId(); }
    @Export(kemiOnly = true) public Object get_msgbuf(MessageContext c) { return new String(c.msg().rawBytes(), StandardCharsets.ISO_8859_1); }
    @Export(kemiOnly = true, intValue = true) public int get_msglen(MessageContext c) { return c.msg().rawBytes().length; }

    /** 1 request, 2 reply (SIP_REQUEST / SIP_REPLY). */
    @Export(kemiOnly = true, returns = {2, 1}) public int get_msgtype(MessageContext c) { return c.msg().isRequest() ? 1 : 2; }

    @Export(kemiOnly = true) public Object get_env(MessageContext c, String name) { return System.getenv(name); }

    @Export(kemiOnly = true, intValue = true)
    public int get_envn(MessageContext c, String name) {
        String v = System.getenv(name);
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    // ---- sockets (kemix_mod.c: null when absent, the *addr_sock ones "" then)
    @Export(kemiOnly = true)
    public Object get_send_sock(MessageContext c) {
        ListenSocket s = SendSocket.get(c);
        return s == null ? null : s.toString();
    }

    @Export(kemiOnly = true)
    public Object get_send_sock_name(MessageContext c) {
        ListenSocket s = SendSocket.get(c);
        return s == null ? null : s.name();
    }

    /** 0 when no socket is forced. */
    @Export(kemiOnly = true, intValue = true)
    public int get_send_sock_port(MessageContext c) {
        ListenSocket s = SendSocket.get(c);
        return s == null ? 0 : s.address().getPort();
    }

    @Export(kemiOnly = true) public Object get_rcv_sock_name(MessageContext c) { return c.received().socket().name(); }
    @Export(kemiOnly = true) public Object get_rcvaddr_sock(MessageContext c) { return c.received().socket().toString(); }

    /** The advertised address of the receiving socket, else its IP. */
    @Export(kemiOnly = true)
    public Object get_rcvadvip(MessageContext c) {
        String adv = c.received().socket().advertiseHost();
        return adv != null ? adv : get_rcvip(c);
    }

    @Export(kemiOnly = true)
    public Object get_rcvadvport(MessageContext c) {
        int adv = c.received().socket().advertisePort();
        return adv > 0 ? adv : get_rcvport(c);
    }

    /** "proto:ip:port" of the source. */
    @Export(kemiOnly = true)
    public Object get_srcaddr_sock(MessageContext c) {
        String ip = c.received().sourceIp();
        if (ip.indexOf(':') >= 0) ip = "[" + ip + "]";
        return c.received().socket().proto().lower() + ":" + ip + ":" + c.received().source().getPort();
    }

    /** The TCP connection id, -1 for UDP or a closed connection. */
    @Export(kemiOnly = true, intValue = true, returns = {-1})
    public int get_conid(MessageContext c) {
        int id = c.received().connectionId();
        return id > 0 ? id : -1;
    }

    // ---- $au: the user of the first Authorization / Proxy-Authorization credentials
    @Export(kemiOnly = true) public Object get_au(MessageContext c) { return authUser(c); }
    @Export(kemiOnly = true) public Object gete_au(MessageContext c) { return e(authUser(c)); }
    @Export(kemiOnly = true) public Object getw_au(MessageContext c) { return w(authUser(c)); }

    private static String authUser(MessageContext c) {
        if ("ACK".equals(c.msg().method()) || "CANCEL".equals(c.msg().method())) return null;
        // Proxy-Authorization first, as Kamailio
        String h = hdr(c, "Proxy-Authorization");
        if (h == null) h = hdr(c, "Authorization");
        if (h == null) return null;
        java.util.regex.Matcher m = USERNAME.matcher(h);
        if (!m.find()) return null;
        String u = m.group(1) != null ? m.group(1) : m.group(2);
        int at = u.indexOf('@');
        return at >= 0 ? u.substring(0, at) : u;
    }

    private static final java.util.regex.Pattern USERNAME =
            java.util.regex.Pattern.compile("(?i)\\busername\\s*=\\s*(?:\"([^\"]*)\"|([^\\s,]+))");

    private static String hdr(MessageContext c, String name) {
        java.util.List<dev.kemi.runtime.sip.Header> hs = dev.kemi.runtime.modules.HeaderEdits.named(c.msg(), name);
        return hs.isEmpty() ? null : hs.get(0).value();
    }

    private Object contactUri(MessageContext c) {
        Object ct = CT.get(c);
        if (ct == null) return null;
        String s = ct.toString();
        int lt = s.indexOf('<');
        if (lt >= 0) {
            int gt = s.indexOf('>', lt);
            return gt > lt ? s.substring(lt + 1, gt) : null;
        }
        int semi = s.indexOf(';');
        return (semi < 0 ? s : s.substring(0, semi)).trim();
    }

    // ---- the cfg's #!define values (pp_define_get): the value as written, "" when undefined
    @Export(kemiOnly = true)
    public Object get_def(MessageContext c, String name) {
        String v = defines.get(name);
        return v == null ? "" : v;
    }

    /** The value as a signed integer; 0 when undefined or not a number (str2sint). */
    @Export(kemiOnly = true, intValue = true)
    public int get_defn(MessageContext c, String name) {
        String v = defines.get(name);
        if (v == null || !v.matches("[+-]?\\d+")) return 0;
        try {
            return Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException tooBig) {
            return 0;
        }
    }

    @Export(kemiOnly = true)
    public boolean ifdef(MessageContext c, String name) { return defines.containsKey(name); }

    @Export(kemiOnly = true)
    public boolean ifndef(MessageContext c, String name) { return !defines.containsKey(name); }
}
