package dev.kemi.runtime.modules.corex;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.core.NextHop;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.core.ViaParams;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ListenSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** KSR.corex and corex's native functions (native append_branch with 0/1 arguments is core's). */
@Module(value = "corex", loadName = "corex")
public final class CorexModule {
    private static final int REQ_FAIL = RouteType.REQUEST | RouteType.FAILURE;

    @Export(kemiOnly = true, routes = REQ_FAIL, returns = {1, -1})
    public int append_branch(MessageContext ctx) { return AppendBranch.append(ctx, null, null); }

    @Export(kemiOnly = true, routes = REQ_FAIL, returns = {1, -1})
    public int append_branch_uri(MessageContext ctx, String uri) { return AppendBranch.append(ctx, uri, null); }

    /** append_branch(uri, q): the branch keeps its q-value (thousandths) for t_load_contacts. */
    @Export(natives = "append_branch", routes = REQ_FAIL, returns = {1, -1})
    public int append_branch_uri_q(MessageContext ctx, String uri, String q) { return AppendBranch.append(ctx, uri, q); }

    @Export(kemiOnly = true, returns = {1, -1})
    public int has_ruri_user(MessageContext ctx) {
        if (!ctx.msg().isRequest()) return -1;
        try {
            String u = ctx.msg().parsedRequestUri().user();
            return u != null && !u.isEmpty() ? 1 : -1;
        } catch (SipParseException e) {
            return -1;
        }
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int has_user_agent(MessageContext ctx) {
        String ua = ctx.msg().header("User-Agent");
        return ua != null && !ua.isEmpty() ? 1 : -1;
    }

    // ---- extended flags (64, Kamailio's xflags)
    @Export(returns = {1, -1})
    public int setxflag(MessageContext ctx, int flag) {
        if (flag < 0 || flag > 63) return -1;
        XFlags.of(ctx).bits |= 1L << flag;
        return 1;
    }

    @Export(returns = {1, -1})
    public int resetxflag(MessageContext ctx, int flag) {
        if (flag < 0 || flag > 63) return -1;
        XFlags.of(ctx).bits &= ~(1L << flag);
        return 1;
    }

    @Export(returns = {1, -1})
    public int isxflagset(MessageContext ctx, int flag) {
        if (flag < 0 || flag > 63) return -1;
        return (XFlags.of(ctx).bits & (1L << flag)) != 0 ? 1 : -1;
    }

    // ---- sockets (Kamailio's ki_set_socket_helper: an empty value clears the forced send socket,
    // an unknown socket is only warned about; both return 1, only a bad specification -1)
    /** "proto:host:port" (or "host:port") of one of our sockets. */
    @Export(returns = {1, -1})
    public int set_send_socket(MessageContext ctx, String socket) {
        return setSocket(ctx, socket, false, false);
    }

    @Export(returns = {1})
    public int set_send_socket_name(MessageContext ctx, String name) {
        return setSocket(ctx, name, false, true);
    }

    /** The message is handled as if it had arrived on that socket ($Ri, $Rp, Record-Route ...). */
    @Export(returns = {1, -1})
    public int set_recv_socket(MessageContext ctx, String socket) {
        return setSocket(ctx, socket, true, false);
    }

    @Export(returns = {1})
    public int set_recv_socket_name(MessageContext ctx, String name) {
        return setSocket(ctx, name, true, true);
    }

    private static int setSocket(MessageContext ctx, String spec, boolean recv, boolean byName) {
        if (spec == null || spec.isEmpty()) {
            SendSocket.set(ctx, null);
            return 1;
        }
        if (!byName && !SendSocket.wellFormed(spec)) {
            ScriptLog.log(ScriptLog.ERR, "corex: invalid socket specification [" + spec + "]");
            return -1;
        }
        ListenSocket ls = byName ? named(ctx, spec) : SendSocket.parse(ctx, spec);
        if (ls == null) {
            ScriptLog.log(ScriptLog.WARN, "corex: no socket found to match [" + spec + "]");
        } else if (recv) {
            ReceiveInfo r = ctx.received();
            ctx.received(new ReceiveInfo(r.source(), ls, r.connectionId()));
        } else {
            SendSocket.set(ctx, ls);
        }
        return 1;
    }

    /** "[proto:]ip:port": the message is handled as if it came from there ($si, $sp, replies). */
    @Export(returns = {1, -1})
    public int set_source_address(MessageContext ctx, String addr) {
        InetSocketAddress a = hostPort(addr);
        if (a == null) {
            ScriptLog.log(ScriptLog.ERR, "corex: failed to parse the address [" + addr + "]");
            return -1;
        }
        ReceiveInfo r = ctx.received();
        ctx.received(new ReceiveInfo(a, r.socket(), r.connectionId()));
        return 1;
    }

    private static InetSocketAddress hostPort(String spec) {
        String s = spec.trim();
        int c = s.indexOf(':');
        if (c > 0 && s.substring(0, c).chars().allMatch(Character::isLetter) && !s.startsWith("[")) s = s.substring(c + 1);
        int pc = s.lastIndexOf(':');
        if (s.startsWith("[") && pc < s.lastIndexOf(']')) pc = -1;
        String host = pc > 0 ? s.substring(0, pc) : s;
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            int port = pc > 0 ? Integer.parseInt(s.substring(pc + 1).trim()) : 5060;
            return new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Export(returns = {1, -1})
    public int is_socket_name(MessageContext ctx, String name) {
        return named(ctx, name) != null ? 1 : -1;
    }

    private static ListenSocket named(MessageContext ctx, String name) {
        for (ListenSocket ls : ctx.services().sockets()) if (name.equals(ls.name())) return ls;
        return null;
    }

    // ---- our Via
    /** Our Via gets ;srvid=server_id (when server_id is not 0). */
    @Export(returns = {1})
    public int via_add_srvid(MessageContext ctx, int on) {
        ViaParams.of(ctx).srvid = on != 0;
        return 1;
    }

    /** Our Via gets the fields of the $xavp named by the core parameter xavp_via_params, as parameters. */
    @Export(returns = {1})
    public int via_add_xavp_params(MessageContext ctx, int on) {
        ViaParams.of(ctx).xavpParams = on != 0;
        return 1;
    }

    /** Our Via's host and port come from the "address" and "port" fields of the $xavp named by xavp_via_fields. */
    @Export(returns = {1})
    public int via_use_xavp_fields(MessageContext ctx, int on) {
        ViaParams.of(ctx).xavpFields = on != 0;
        return 1;
    }

    // ---- raw sending
    /** Sends data to a SIP URI's address (its transport), from the socket the core would pick. */
    @Export(returns = {1, -1})
    public int send_data(MessageContext ctx, String uri, String data) {
        try {
            Destination d = NextHop.destination(ctx, uri);
            return ctx.services().sender().send(d, data.getBytes(StandardCharsets.UTF_8), null) ? 1 : -1;
        } catch (NextHop.Unusable e) {
            ScriptLog.log(ScriptLog.ERR, "corex: invalid destination uri [" + uri + "]");
            return -1;
        }
    }

    /** send_data from a given local socket ("proto:ip:port"). */
    @Export(returns = {1, -1})
    public int sendx(MessageContext ctx, String uri, String socket, String data) {
        ListenSocket ls = SendSocket.parse(ctx, socket);
        if (ls == null) {
            ScriptLog.log(ScriptLog.ERR, "corex: socket not found [" + socket + "]");
            return -1;
        }
        try {
            Destination d = NextHop.destination(ctx, uri);
            Destination from = new Destination(d.proto(), d.address(), ls, d.noConnect(), d.close());
            return ctx.services().sender().send(from, data.getBytes(StandardCharsets.UTF_8), null) ? 1 : -1;
        } catch (NextHop.Unusable e) {
            ScriptLog.log(ScriptLog.ERR, "corex: invalid destination uri [" + uri + "]");
            return -1;
        }
    }

    /** Every message we route came from the network (Kamailio's faked ones are event-route stand-ins). */
    @Export(returns = {1, -1})
    public int is_faked_msg(MessageContext ctx) {
        return -1;
    }

    // ---- files
    /** KEMI's one-argument form; native cfg's file_read(path, $pv) is not implemented. */
    @Export(kemiOnly = true)
    public Object file_read(MessageContext ctx, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "corex: failed to read file: " + file);
            return null;
        }
    }

    @Export(returns = {1, -1})
    public int file_write(MessageContext ctx, String file, String content) {
        try {
            Files.writeString(Path.of(file), content, StandardCharsets.ISO_8859_1);
            return 1;
        } catch (IOException | RuntimeException e) {
            ScriptLog.log(ScriptLog.ERR, "corex: failed to write file: " + file);
            return -1;
        }
    }

    /** 64 extended flags of one message. */
    private static final class XFlags {
        long bits;

        static XFlags of(MessageContext ctx) {
            return ctx.attachment(XFlags.class, XFlags::new);
        }
    }
}
