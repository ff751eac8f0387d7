package dev.kemi.tests.calls;

import dev.kemi.tests.ProxyUnderTest;
import java.nio.file.Files;
import java.util.Map;

/** Kemi Proxy in this JVM (one shared polyglot engine for all front-ends). */
final class KemiProxy implements RunningProxy {
    private final ProxyUnderTest proxy;

    private KemiProxy(ProxyUnderTest proxy) {
        this.proxy = proxy;
    }

    static KemiProxy start(FrontEnd fe) throws Exception {
        String cfg = RunningProxy.cfgText(fe, "127.0.0.1:{port}", "{dir}/" + fe.script);
        Map<String, String> files = fe.script == null ? Map.of()
                : Map.of(fe.script, Files.readString(RunningProxy.scripts().resolve(fe.script)));
        return new KemiProxy(ProxyUnderTest.start(cfg, files));
    }

    @Override
    public int port() {
        return proxy.port();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
