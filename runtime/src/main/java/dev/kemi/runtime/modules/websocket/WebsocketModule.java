package dev.kemi.runtime.modules.websocket;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.core.StatelessReply;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.modules.xhttp.HttpRequest;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.stats.Statistics;
import dev.kemi.runtime.transport.Destination;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.transport.ws.WsCounters;
import dev.kemi.runtime.transport.ws.WsSession;
import dev.kemi.runtime.transport.ws.WsSettings;
import dev.kemi.runtime.transport.ws.WsUpgrader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kamailio's websocket module: ws_handle_handshake() in event_route[xhttp:request] turns that
 * TCP (or TLS) connection into a SIP-over-WebSocket one (RFC 6455, RFC 7118); messages on it
 * then arrive with $proto ws (wss) and replies and requests go back over it. Keepalive by Ping
 * or Pong frames, ws_close(), RPC ws.*, and Kamailio's statistics. MSRP is not offered.
 */
@Module(value = "websocket", loadName = "websocket")
public final class WebsocketModule implements RuntimeModule, PvExports, RpcProvider {
    /** Kamailio's BUF_SIZE: a frame payload must stay below it. */
    private static final int MAX_PAYLOAD = 65_535 - 1;
    private static final int MAX_DUMP = 50;
    private final Map<Integer, WsSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong current = new AtomicLong();
    private final AtomicLong maxConcurrent = new AtomicLong();
    private int keepaliveMechanism = 1;
    private int keepaliveTimeout = 180;
    private int keepaliveInterval = 1;
    private byte[] pingData;
    private int subProtocols = Handshake.SIP;
    private int corsMode;
    private volatile boolean enabled = true;
    private ProxyServices services;
    private SlModule sl;
    private WsSettings settings;
    private LongAdder failedHandshakes, successfulHandshakes, sipSuccessfulHandshakes;
    private ScheduledFuture<?> keepalive;

    /** 0 none, 1 Ping (default), 2 Pong, 3 only check the TCP connection; others become 1 as in Kamailio. */
    @Param("keepalive_mechanism")
    public void keepaliveMechanism(int v) {
        keepaliveMechanism = v >= 0 && v <= 3 ? v : 1;
    }

    /** Seconds without a received frame before a keepalive; 1..3600, else 180 as in Kamailio. */
    @Param("keepalive_timeout")
    public void keepaliveTimeout(int v) {
        keepaliveTimeout = v >= 1 && v <= 3600 ? v : 180;
    }

    /** Seconds between keepalive rounds; 1..60, else 1 as in Kamailio. */
    @Param("keepalive_interval")
    public void keepaliveInterval(int v) {
        keepaliveInterval = v >= 1 && v <= 60 ? v : 1;
    }

    /** Payload of keepalive Pings/Pongs; 1..125 bytes, else the server signature. */
    @Param("ping_application_data")
    public void pingApplicationData(String v) {
        pingData = v != null && !v.isEmpty() && v.length() <= 125 ? v.getBytes(StandardCharsets.UTF_8) : null;
    }

    /** 1 sip; 2 (msrp) is dropped as Kamailio drops it without the msrp module; none left is an error. */
    @Param("sub_protocols")
    public void subProtocols(int v) {
        if ((v | 3) != 3) throw new IllegalArgumentException("unrecognised sub-protocols enabled");
        subProtocols = v & Handshake.SIP;
        if (subProtocols == 0) throw new IllegalArgumentException("no sub-protocols enabled");
    }

    /** 0 no CORS header, 1 Access-Control-Allow-Origin: *, 2 the request's Origin. */
    @Param("cors_mode")
    public void corsMode(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("bad value for cors_mode");
        corsMode = v;
    }

    @Override
    public void init(ProxyServices services) {
        this.services = services;
        if (services.functions() != null && services.functions().module(dev.kemi.runtime.modules.xhttp.XhttpModule.class) == null) {
            throw new IllegalStateException("module websocket needs module xhttp: add loadmodule \"xhttp.so\"");
        }
        sl = services.functions() == null ? null : services.functions().module(SlModule.class);
        if (pingData == null) {
            String sig = StatelessReply.serverHeader(services);
            pingData = (sig == null ? "kemi" : sig.substring("Server: ".length())).getBytes(StandardCharsets.UTF_8);
        }
        Statistics st = services.statistics();
        settings = new WsSettings(MAX_PAYLOAD, new WsCounters(st.counter("websocket", "ws_received_frames"),
                st.counter("websocket", "ws_sip_received_frames"), st.counter("websocket", "ws_transmitted_frames"),
                st.counter("websocket", "ws_sip_transmitted_frames"), st.counter("websocket", "ws_local_closed_connections"),
                st.counter("websocket", "ws_sip_local_closed_connections"), st.counter("websocket", "ws_remote_closed_connections"),
                st.counter("websocket", "ws_sip_remote_closed_connections"), st.counter("websocket", "ws_failed_connections"),
                st.counter("websocket", "ws_sip_failed_connections")));
        for (String n : List.of("ws_msrp_received_frames", "ws_msrp_transmitted_frames", "ws_msrp_local_closed_connections",
                "ws_msrp_remote_closed_connections", "ws_msrp_failed_connections", "ws_msrp_successful_handshakes")) {
            st.counter("websocket", n);
        }
        failedHandshakes = st.counter("websocket", "ws_failed_handshakes");
        successfulHandshakes = st.counter("websocket", "ws_successful_handshakes");
        sipSuccessfulHandshakes = st.counter("websocket", "ws_sip_successful_handshakes");
        st.gauge("websocket", "ws_current_connections", current::get);
        st.gauge("websocket", "ws_sip_current_connections", current::get);
        st.gauge("websocket", "ws_max_concurrent_connections", maxConcurrent::get);
        st.gauge("websocket", "ws_sip_max_concurrent_connections", maxConcurrent::get);
        st.gauge("websocket", "ws_msrp_current_connections", () -> 0);
        st.gauge("websocket", "ws_msrp_max_concurrent_connections", () -> 0);
        if (keepaliveMechanism != 0) {
            keepalive = services.timers().scheduleWithFixedDelay(this::keepaliveRound, keepaliveInterval, keepaliveInterval, TimeUnit.SECONDS);
        }
    }

    @Override
    public void shutdown() {
        if (keepalive != null) keepalive.cancel(false);
    }

    /**
     * Kamailio's ws_keepalive: a connection silent for keepalive_timeout gets a Ping (or Pong);
     * one still silent then, or one closing, is closed. Mechanism 3 only drops connections
     * whose TCP side is gone.
     */
    void keepaliveRound() {
        long checkTime = System.currentTimeMillis() / 1000 - keepaliveTimeout;
        for (WsSession s : sessions.values()) {
            if (s.lastUsed() >= checkTime) continue;
            if (s.state() == WsSession.State.CLOSING || s.awaitingPong()) {
                ScriptLog.log(ScriptLog.WARN, "websocket: forcibly closing connection");
                s.closeNow();
            } else if (keepaliveMechanism == 3) {
                if (!s.isActive()) sessions.remove(s.id(), s);
            } else if (keepaliveMechanism == 1) {
                s.ping(pingData);
            } else {
                s.pong(pingData);
            }
        }
    }

    /** ws_handle_handshake(): 1 upgraded (101 sent); 0 refused, the error reply sent and the connection closed. */
    @Export(value = "handle_handshake", natives = "ws_handle_handshake", returns = {1, 0})
    public int ws_handle_handshake(MessageContext ctx) {
        ReceiveInfo r = ctx.received();
        if (!enabled) {
            sendError(ctx, 503, "Service Unavailable", "");
            return 0;
        }
        if (r == null || r.connectionId() <= 0 || !(services.sender() instanceof WsUpgrader upgrader)) {
            sendError(ctx, 500, "Internal Server Error", "");
            return 0;
        }
        if (ctx.attachment(HttpRequest.class) == null || r.socket().proto() != dev.kemi.runtime.transport.Protocol.TCP
                && r.socket().proto() != dev.kemi.runtime.transport.Protocol.TLS) {
            ScriptLog.log(ScriptLog.ERR, "websocket: unsupported transport: " + r.socket().proto().lower());
            return 0;
        }
        Handshake h = Handshake.check(ctx.msg().allHeaders(), subProtocols, corsMode);
        if (!h.accepted()) {
            ScriptLog.log(ScriptLog.WARN, "websocket: handshake refused with " + h.code() + " " + h.reason());
            sendError(ctx, h.code(), h.reason(), h.headers());
            return 0;
        }
        WsSession s = upgrader.upgradeToWebSocket(r.connectionId(), reply(ctx, 101, h.reason(), h.headers()), settings);
        if (s == null) {
            failedHandshakes.increment();
            return 0;
        }
        ctx.markReplied();
        opened(s);
        successfulHandshakes.increment();
        sipSuccessfulHandshakes.increment();
        if (sl != null) sl.countSent(101);
        return 1;
    }

    private void opened(WsSession s) {
        sessions.put(s.id(), s);
        long n = current.incrementAndGet();
        maxConcurrent.accumulateAndGet(n, Math::max);
        s.onClosed(() -> {
            if (sessions.remove(s.id(), s)) current.decrementAndGet();
        });
    }

    /** Error replies close the connection after them, as Kamailio's SND_F_CON_CLOSE does. */
    private void sendError(MessageContext ctx, int code, String reason, String headers) {
        ReceiveInfo r = ctx.received();
        failedHandshakes.increment();
        if (r == null) return;
        Destination to = new Destination(r.socket().proto(), r.source(), r.socket(), true, true).overConnection(r.connectionId());
        ctx.markReplied();
        if (services.sender().send(to, reply(ctx, code, reason, headers), null) && sl != null) sl.countSent(code);
    }

    /** The HTTP reply as Kamailio's sl builds it for an xhttp request: status line, Sia, the extra headers, Server, Content-Length. */
    private byte[] reply(MessageContext ctx, int code, String reason, String headers) {
        HttpRequest req = ctx.attachment(HttpRequest.class);
        String version = req != null && req.version().startsWith("HTTP/1.") ? req.version() : "HTTP/1.1";
        StringBuilder b = new StringBuilder(version).append(' ').append(code).append(' ').append(reason).append("\r\n");
        String via = ctx.msg().header("Via");
        if (via != null) b.append("Sia: ").append(via).append("\r\n");
        b.append(headers);
        String server = StatelessReply.serverHeader(services);
        if (server != null) b.append(server).append("\r\n");
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** ws_close(): Close 1000 "Normal closure" on the message's connection. 1 sent, -1 not a WebSocket connection. */
    @Export(value = "close", natives = "ws_close", returns = {1, 0, -1})
    public int ws_close(MessageContext ctx) {
        return close(ctx.received() == null ? 0 : ctx.received().connectionId(), 1000, "Normal closure");
    }

    @Export(value = "close_reason", natives = "ws_close", returns = {1, 0, -1})
    public int ws_close(MessageContext ctx, int status, String reason) {
        return close(ctx.received() == null ? 0 : ctx.received().connectionId(), status, reason);
    }

    @Export(value = "close_conid", natives = "ws_close", returns = {1, 0, -1})
    public int ws_close(MessageContext ctx, int status, String reason, int connectionId) {
        return close(connectionId, status, reason);
    }

    private int close(int id, int status, String reason) {
        WsSession s = sessions.get(id);
        if (s == null) {
            ScriptLog.log(ScriptLog.ERR, "websocket: failed to retrieve WebSocket connection");
            return -1;
        }
        s.close(status, reason == null ? "" : reason);
        return 1;
    }

    @Override
    public Set<String> pvNames() {
        return Set.of("ws_conid");
    }

    /** $ws_conid: the id of the connection the message came over (Kamailio's tcp connection id), 0 for UDP. */
    @Override
    public Pv resolvePv(PvSpec spec) {
        return ctx -> ctx instanceof MessageContext m && m.received() != null ? m.received().connectionId() : null;
    }

    @Override
    public void registerRpc(RpcRegistry r) {
        r.register("ws.dump", p -> dump(p.isEmpty() || p.get(0) == null ? "id_hash" : p.get(0).toString()));
        r.register("ws.close", p -> {
            WsSession s = byRpcId(p);
            s.close(1000, "Normal closure");
            return null;
        });
        r.register("ws.ping", p -> {
            byRpcId(p).ping(pingData);
            return null;
        });
        r.register("ws.pong", p -> {
            byRpcId(p).pong(pingData);
            return null;
        });
        r.register("ws.enable", p -> {
            enabled = true;
            return null;
        });
        r.register("ws.disable", p -> {
            enabled = false;
            return null;
        });
    }

    private WsSession byRpcId(List<Object> p) {
        int id;
        try {
            id = p.isEmpty() || p.get(0) == null ? -1 : Integer.parseInt(p.get(0).toString().trim());
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id < 0) throw new RpcException(500, "Invalid Parameters");
        WsSession s = sessions.get(id);
        if (s == null) throw new RpcException(500, "Unknown connection ID");
        return s;
    }

    /**
     * Kamailio's shape: {connections: ["id: ws:ip:port -> ws:ip:port (state: OPEN,  last used Ns ago,
     * sub-protocol: sip)"], info: {wscounter, truncated}}, with its two spaces before "last".
     */
    private Object dump(String order) {
        Comparator<WsSession> cmp = switch (order.toLowerCase(java.util.Locale.ROOT)) {
            case "id_hash" -> Comparator.comparingInt(WsSession::id);
            case "used_desc" -> Comparator.comparingLong(WsSession::lastUsed).reversed();
            case "used_asc" -> Comparator.comparingLong(WsSession::lastUsed);
            default -> throw new RpcException(400, "Bad display order parameter");
        };
        long now = System.currentTimeMillis() / 1000;
        List<String> lines = new ArrayList<>();
        boolean truncated = false;
        for (WsSession s : sessions.values().stream().filter(WsSession::isActive).sorted(cmp).toList()) {
            if (lines.size() >= MAX_DUMP) {
                truncated = true;
                break;
            }
            String proto = s.proto().lower();
            lines.add(s.id() + ": " + proto + ":" + s.remote().getAddress().getHostAddress() + ":" + s.remote().getPort() + " -> "
                    + proto + ":" + s.local().getAddress().getHostAddress() + ":" + s.local().getPort() + " (state: " + s.state()
                    + ", " + (s.awaitingPong() ? "awaiting Pong, " : "") + " last used " + (now - s.lastUsed()) + "s ago, sub-protocol: sip)");
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("wscounter", lines.size());
        info.put("truncated", truncated ? "yes" : "no");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connections", lines);
        out.put("info", info);
        return out;
    }
}
