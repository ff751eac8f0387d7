package dev.kemi.runtime.modules.tls;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.Globals;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.core.TransportSettings;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.tls.TlsChannels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamailio's tls module over Netty's SslHandler (JDK provider): the profiles of tls.cfg and the
 * module parameters pick each connection's certificate, CA list and checks; tls.reload swaps
 * them for new connections while open ones keep their session.
 */
@Module(value = "tls", loadName = "tls")
public final class TlsModule implements RuntimeModule, PvExports, RpcProvider {
    private static final Logger log = LoggerFactory.getLogger(TlsModule.class);
    private static final String CFG_DIR = "/etc/kamailio/";
    private String config;
    private String method = "TLSv1";
    private String certificate = CFG_DIR + "cert.pem";
    private String privateKey = CFG_DIR + "cert.pem";
    private String caList;
    private String cipherList;
    private boolean verifyCertificate;
    private boolean requireCertificate;
    private ProxyServices services;
    private volatile TlsProfiles profiles;
    private TlsChannels channels;
    private final TlsPvs pvs = new TlsPvs(this);
    private final Pv peerVerified = pvs.resolve(new PvSpec("tls_peer_verified", null, null, List.of()));

    @Param("config") public void config(String v) { config = v.isEmpty() ? null : v; }
    @Param("tls_method") public void tlsMethod(String v) { method = TlsMethods.check(v, "modparam tls_method"); }
    @Param("certificate") public void certificate(String v) { certificate = v; }
    @Param("private_key") public void privateKey(String v) { privateKey = v; }
    @Param("ca_list") public void caList(String v) { caList = v.isEmpty() ? null : v; }
    @Param("cipher_list") public void cipherList(String v) { cipherList = v.isEmpty() ? null : v; }
    @Param("verify_certificate") public void verifyCertificate(int v) { verifyCertificate = v != 0; }
    @Param("require_certificate") public void requireCertificate(int v) { requireCertificate = v != 0; }

    @Override
    public void init(ProxyServices s) {
        services = s;
        Globals cfg = name -> {
            String v = s.globalParam(name);
            return v == null ? List.of() : List.of(new Globals.Setting(v, "<cfg>", 0));
        };
        if (!TransportSettings.tlsEnabled(cfg)) {
            log.warn("tls: TLS support is disabled (set enable_tls=yes in the config to enable it)");
            return;
        }
        profiles = load();
        channels = new TlsChannels(profiles);
        s.useTls(channels);
        s.statistics().gauge("tls", "handshakes", channels::handshakes);
        s.statistics().gauge("tls", "handshake_failures", channels::handshakeFailures);
        s.statistics().gauge("tls", "plaintext_refused", channels::plaintextRefused);
        s.statistics().gauge("tls", "opened_connections", () -> channels.connections().size());
    }

    /** The open TLS connections (null while TLS is disabled). */
    TlsChannels channels() {
        return channels;
    }

    /** Reads tls.cfg and builds every profile's context; a bad file or profile throws, naming it. */
    private TlsProfiles load() {
        // with a tls.cfg, its sections and missing default domains start from the module's built-in
        // defaults, not from the modparams (tls_mod.c srv_defaults/cli_defaults)
        TlsProfile srv = config == null ? defaults(true) : fileDefaults(true);
        TlsProfile cli = config == null ? defaults(false) : fileDefaults(false);
        List<TlsProfile> read = config == null ? List.of() : TlsConfigFile.read(Path.of(config), srv, cli);
        for (TlsProfile p : read) {
            if (p.server() && p.scope() == TlsProfile.Scope.ADDRESS && !listening(p)) {
                throw new IllegalArgumentException(p.where() + ": no tls: listen socket for TLS domain " + p.name());
            }
        }
        return new TlsProfiles(read, srv, cli);
    }

    private boolean listening(TlsProfile p) {
        for (ListenSocket s : services.sockets()) {
            if (s.proto() == Protocol.TLS && s.address().getPort() == p.address().getPort()
                    && s.address().getAddress().equals(p.address().getAddress())) return true;
        }
        return false;
    }

    /** A tls.cfg section's values where it sets none: TLSv1+, no checks; a server presents cert.pem. */
    private static TlsProfile fileDefaults(boolean server) {
        String cert = server ? CFG_DIR + "cert.pem" : null;
        return new TlsProfile(server, TlsProfile.Scope.DEFAULT, null, "TLSv1+", cert, cert, null,
                false, false, null, null, "tls.cfg defaults");
    }

    private TlsProfile defaults(boolean server) {
        return new TlsProfile(server, TlsProfile.Scope.DEFAULT, null, method, certificate, privateKey, caList,
                verifyCertificate, requireCertificate, cipherList, null, "modparam");
    }

    /** 1 when the message came over TLS and the peer's certificate verified, else -1. */
    @Export(natives = "is_peer_verified", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1})
    public int is_peer_verified(MessageContext ctx) {
        return Integer.valueOf(1).equals(peerVerified.get(ctx)) ? 1 : -1;
    }

    // ---- pseudo-variables
    @Override
    public Set<String> pvNames() {
        return TlsPvs.names();
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return pvs.resolve(spec);
    }

    // ---- RPC
    @Override
    public void registerRpc(RpcRegistry r) {
        r.register("tls.reload", p -> reload());
        r.register("tls.list", p -> list());
        r.register("tls.info", p -> info());
    }

    private Object reload() {
        if (channels == null) throw new RpcException(500, "TLS support is disabled");
        if (config == null) throw new RpcException(500, "No TLS configuration file configured");
        TlsProfiles next;
        try {
            next = load();
        } catch (RuntimeException e) {
            log.error("tls.reload: {}", e.getMessage());
            throw new RpcException(500, "Error while loading TLS configuration file (consult server log)");
        }
        profiles = next;
        channels.replace(next);
        return "Ok. TLS configuration reloaded.";
    }

    private Object list() {
        List<Object> out = new ArrayList<>();
        if (channels == null) return out;
        int lifetime = intGlobal("tcp_connection_lifetime", 120);
        for (TlsChannels.Connection c : channels.connections()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("timeout", lifetime);
            m.put("src_ip", c.peer().getAddress().getHostAddress());
            m.put("src_port", c.peer().getPort());
            m.put("dst_ip", c.socket().address().getAddress().getHostAddress());
            m.put("dst_port", c.socket().address().getPort());
            SSLSession s = c.session();
            m.put("cipher", s == null ? "unknown" : TlsPvs.openSslName(s.getCipherSuite()) + " " + s.getProtocol());
            m.put("ct_wq_size", 0);
            m.put("enc_rd_buf", 0);
            m.put("flags", 0);
            m.put("state", s != null ? "established" : c.accepted() ? "tls_accept" : "tls_connect");
            out.add(m);
        }
        return out;
    }

    private Object info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_connections", intGlobal("tls_max_connections", 2048));
        m.put("opened_connections", channels == null ? 0 : channels.connections().size());
        m.put("clear_text_write_queued_bytes", 0);
        return m;
    }

    private int intGlobal(String name, int dflt) {
        String v = services == null ? null : services.globalParam(name);
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
