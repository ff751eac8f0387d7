package dev.kemi.runtime.modules.tls;

import dev.kemi.runtime.transport.tls.TlsChannels;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded profiles with their contexts, and which one a connection gets, as Kamailio's
 * tls_lookup_cfg: the profile of the socket's (server) or peer's (client) ip:port — among
 * several, the one whose server_name is the SNI name — then an {@code any} profile with that
 * server_name, then the default. Immutable: tls.reload builds a new one.
 */
final class TlsProfiles implements TlsChannels.Contexts {
    private final Map<TlsProfile, SslContext> contexts = new LinkedHashMap<>();
    private final TlsProfile serverDefault;
    private final TlsProfile clientDefault;

    /** @throws IllegalArgumentException when a profile's files or values are unusable */
    TlsProfiles(List<TlsProfile> profiles, TlsProfile serverDefault, TlsProfile clientDefault) {
        TlsProfile sd = serverDefault;
        TlsProfile cd = clientDefault;
        for (TlsProfile p : profiles) {
            if (p.scope() == TlsProfile.Scope.DEFAULT) {
                if (p.server()) sd = p;
                else cd = p;
            }
        }
        this.serverDefault = sd;
        this.clientDefault = cd;
        contexts.put(sd, TlsContextFactory.build(sd));
        contexts.put(cd, TlsContextFactory.build(cd));
        for (TlsProfile p : profiles) contexts.computeIfAbsent(p, TlsContextFactory::build);
    }

    List<TlsProfile> profiles() {
        return new ArrayList<>(contexts.keySet());
    }

    TlsProfile serverProfile(InetSocketAddress local, String sni) {
        return lookup(true, local, sni);
    }

    TlsProfile clientProfile(InetSocketAddress peer) {
        return lookup(false, peer, null);
    }

    private TlsProfile lookup(boolean server, InetSocketAddress addr, String sni) {
        TlsProfile byAddress = null;
        for (TlsProfile p : contexts.keySet()) {
            if (p.server() != server || p.scope() != TlsProfile.Scope.ADDRESS || !matches(p.address(), addr)) continue;
            if (sni != null && sni.equalsIgnoreCase(p.serverName())) return p;
            if (byAddress == null) byAddress = p;
        }
        if (byAddress != null) return byAddress;
        if (sni != null) {
            for (TlsProfile p : contexts.keySet()) {
                if (p.server() == server && p.scope() == TlsProfile.Scope.ANY && sni.equalsIgnoreCase(p.serverName())) return p;
            }
        }
        return server ? serverDefault : clientDefault;
    }

    private static boolean matches(InetSocketAddress profile, InetSocketAddress a) {
        return a != null && profile.getPort() == a.getPort() && profile.getAddress().equals(a.getAddress());
    }

    @Override
    public SslContext server(InetSocketAddress local, String sni) {
        return contexts.get(serverProfile(local, sni));
    }

    @Override
    public TlsChannels.Client client(InetSocketAddress local, InetSocketAddress peer) {
        TlsProfile p = clientProfile(peer);
        return new TlsChannels.Client(contexts.get(p), p.serverName());
    }
}
