package dev.kemi.tests.registrar;

import dev.kemi.runtime.rpc.ProxyRpc;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Starting the registrar logic on Kamailio 5.6.3 and on us, each on its own address of 127.0.14.0/24. */
final class Proxies {
    private Proxies() {}

    static ProxyUnderTest ours(RegScripts fe, String ip, String dbUrl, int dbMode, String extra) {
        return ProxyUnderTest.start(fe.cfg(ip, dbUrl, dbMode, extra), fe.files());
    }

    static Kamailio kamailio(RegScripts fe, String ip, String dbUrl, int dbMode, String extra) {
        try {
            Path dir = Files.createTempDirectory("kemi-reg-kamailio");
            for (Map.Entry<String, String> f : fe.files().entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
            Path cfg = dir.resolve("kamailio.cfg");
            Files.writeString(cfg, fe.cfg(ip, dbUrl, dbMode, extra).replace("{dir}", dir.toString()));
            return Kamailio.startBound(cfg, dir, List.of(new InetSocketAddress(ip, 5060)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InetSocketAddress sip(String ip) {
        return new InetSocketAddress(ip, 5060);
    }

    /** An RPC command of our proxy, as kamcmd/jsonrpc would call it. */
    static Object rpc(ProxyUnderTest p, String method, Object... params) {
        return ProxyRpc.registry(p.proxy().functions(), Instant.now()).call(method, List.of(params));
    }
}
