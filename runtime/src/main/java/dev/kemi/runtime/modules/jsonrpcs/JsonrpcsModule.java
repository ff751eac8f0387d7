package dev.kemi.runtime.modules.jsonrpcs;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.xhttp.HttpRequest;
import dev.kemi.runtime.modules.xhttp.XhttpModule;
import dev.kemi.runtime.rpc.ControlAddress;
import dev.kemi.runtime.rpc.ControlServer;
import dev.kemi.runtime.rpc.JsonRpcDispatcher;
import dev.kemi.runtime.rpc.RuntimeDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamailio's jsonrpcs: JSON-RPC 2.0 over a FIFO (kamailio_rpc.fifo, what kamctl writes), a unix
 * datagram socket (kamailio_rpc.sock), both in the runtime directory, mode 0660, and HTTP through
 * xhttp with jsonrpc_dispatch(). "transport" is Kamailio's bit mask: 1 HTTP, 2 FIFO, 4 datagram,
 * 0 all that can run (HTTP only with xhttp loaded); the default is 6.
 */
@Module(value = "jsonrpcs", loadName = "jsonrpcs")
public final class JsonrpcsModule implements RuntimeModule {
    private static final Logger log = LoggerFactory.getLogger(JsonrpcsModule.class);
    private static final int HTTP = 1, FIFO = 2, DGRAM = 4;
    private int transport = FIFO | DGRAM;
    private boolean pretty = true;
    private String fifoName = "kamailio_rpc.fifo";
    private int fifoMode = 0660;
    private String fifoUser, fifoGroup;
    private String fifoReplyDir = "/tmp/";
    private String dgramSocket = "kamailio_rpc.sock";
    private int dgramMode = 0660;
    private String dgramUser, dgramGroup;
    private JsonRpcDispatcher dispatcher;
    private XhttpModule xhttp;
    private FifoServer fifo;
    private ControlServer dgram;

    @Param("transport")
    public void transport(int v) {
        if (v < 0 || v > 7) throw new IllegalArgumentException("transport is a bit mask: 1 http, 2 fifo, 4 datagram (0 all)");
        transport = v;
    }

    @Param("pretty_format")
    public void prettyFormat(int v) {
        pretty = v != 0;
    }

    @Param("fifo_name")
    public void fifoName(String v) {
        fifoName = v;
    }

    @Param("fifo_mode")
    public void fifoMode(int v) {
        fifoMode = v;
    }

    @Param("fifo_user")
    public void fifoUser(String v) {
        fifoUser = v;
    }

    /** The numeric form Kamailio also takes (a uid; -1, its default, keeps the owner). */
    @Param("fifo_user")
    public void fifoUid(int v) {
        fifoUser = v < 0 ? null : Integer.toString(v);
    }

    @Param("fifo_group")
    public void fifoGroup(String v) {
        fifoGroup = v;
    }

    /** The numeric form Kamailio also takes (a gid; -1, its default, keeps the owner). */
    @Param("fifo_group")
    public void fifoGid(int v) {
        fifoGroup = v < 0 ? null : Integer.toString(v);
    }

    @Param("fifo_reply_dir")
    public void fifoReplyDir(String v) {
        fifoReplyDir = v;
    }

    @Param("dgram_socket")
    public void dgramSocket(String v) {
        dgramSocket = v;
    }

    @Param("dgram_mode")
    public void dgramMode(int v) {
        dgramMode = v;
    }

    @Param("dgram_user")
    public void dgramUser(String v) {
        dgramUser = v;
    }

    /** The numeric form Kamailio also takes (a uid; -1, its default, keeps the owner). */
    @Param("dgram_user")
    public void dgramUid(int v) {
        dgramUser = v < 0 ? null : Integer.toString(v);
    }

    @Param("dgram_group")
    public void dgramGroup(String v) {
        dgramGroup = v;
    }

    /** The numeric form Kamailio also takes (a gid; -1, its default, keeps the owner). */
    @Param("dgram_group")
    public void dgramGid(int v) {
        dgramGroup = v < 0 ? null : Integer.toString(v);
    }

    @Override
    public void init(ProxyServices services) {
        xhttp = services.functions().module(XhttpModule.class);
        int t = transport;
        if (t == 0) t = FIFO | DGRAM | (xhttp != null ? HTTP : 0);
        if ((t & HTTP) != 0 && xhttp == null) {
            throw new IllegalStateException("module jsonrpcs (transport " + transport + ", HTTP) needs module xhttp: add loadmodule \"xhttp.so\"");
        }
        if ((t & HTTP) == 0) xhttp = null;
        dispatcher = new JsonRpcDispatcher(services::rpc, pretty);
        Path dir = RuntimeDir.of(services);
        try {
            if ((t & FIFO) != 0 && !fifoName.isEmpty()) {
                fifo = FifoServer.start(resolve(dir, fifoName), fifoMode, fifoUser, fifoGroup, Path.of(fifoReplyDir), dispatcher);
            }
            if ((t & DGRAM) != 0 && !dgramSocket.isEmpty()) {
                dgram = ControlServer.bind(ControlAddress.parse(dgramAddress(), dir), new DatagramCodec(dispatcher),
                        dgramMode, dgramUser, dgramGroup, "jsonrpcs-dgram");
            }
        } catch (IOException e) {
            shutdown();
            throw new UncheckedIOException("jsonrpcs: " + e.getMessage(), e);
        }
    }

    /** dgram_socket as Kamailio reads it: a path (unix datagram) or udp:HOST:PORT. */
    private String dgramAddress() {
        return dgramSocket.startsWith("udp:") || dgramSocket.startsWith("unixd:") ? dgramSocket
                : "unixd:" + (dgramSocket.startsWith("unix:") ? dgramSocket.substring(5) : dgramSocket);
    }

    private static Path resolve(Path dir, String name) {
        Path p = Path.of(name);
        return p.isAbsolute() ? p : dir.resolve(p);
    }

    /** The FIFO's path, for the startup banner and tests; null when it does not run. */
    public Path fifoPath() {
        return fifo == null ? null : fifo.path();
    }

    /**
     * jsonrpc_dispatch(): answers the HTTP request of event_route[xhttp:request] with the command's
     * result. 1 answered, or not an HTTP request (Kamailio's NONSIP_MSG_PASS, also 1); -1 HTTP not
     * among the transports, or the body is not JSON (no answer, as Kamailio).
     */
    @Export(value = "dispatch", natives = "jsonrpc_dispatch", routes = RouteType.REQUEST | RouteType.EVENT, returns = {1, -1})
    public int jsonrpc_dispatch(MessageContext ctx) {
        if (ctx.attachment(HttpRequest.class) == null) return 1;
        if (xhttp == null) {
            log.error("jsonrpc_dispatch: the HTTP transport is not enabled (jsonrpcs transport, xhttp)");
            return -1;
        }
        JsonRpcDispatcher.Response r = dispatcher.handle(new String(ctx.msg().body(), StandardCharsets.UTF_8));
        if (r.body() == null) return -1;
        return xhttp.reply(ctx, r.httpCode(), r.httpReason(), "application/json", r.body()) ? 1 : -1;
    }

    @Override
    public void shutdown() {
        if (fifo != null) fifo.close();
        if (dgram != null) dgram.close();
        fifo = null;
        dgram = null;
    }
}
