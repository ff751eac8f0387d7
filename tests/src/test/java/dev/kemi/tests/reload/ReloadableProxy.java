package dev.kemi.tests.reload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kemi.runtime.rpc.RpcClient;
import dev.kemi.runtime.rpc.RpcHttpServer;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipClient;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A proxy running a Python or JS relay script (tests/src/test/resources/reload) with its JSON-RPC
 * HTTP listener on a free loopback port, as `kemi run --rpc-listen 127.0.0.1:0` would. Versions of the
 * script are installed by overwriting the files in the proxy's directory.
 */
final class ReloadableProxy implements AutoCloseable {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private final String language;
    private final int uasPort;
    private final ProxyUnderTest proxy;
    private final RpcHttpServer rpcServer;
    private final RpcClient rpc;
    private final SipClient probe;

    private ReloadableProxy(String language, int uasPort, ProxyUnderTest proxy, RpcHttpServer rpcServer) {
        this.language = language;
        this.uasPort = uasPort;
        this.proxy = proxy;
        this.rpcServer = rpcServer;
        this.rpc = new RpcClient(rpcAddress());
        this.probe = proxy.udpClient();
    }

    /** @param language "python" or "js"; the script starts as version "A"; calls are relayed to the UAS port */
    static ReloadableProxy start(String language, int uasPort) throws InterruptedException {
        Map<String, String> files = scriptFiles(language, "A", uasPort);
        ProxyUnderTest p = ProxyUnderTest.start(resource("kamailio-" + language + ".cfg"), files);
        try {
            RpcHttpServer server = new RpcHttpServer(p.proxy().rpc())
                    .start(new InetSocketAddress("127.0.0.1", 0));
            return new ReloadableProxy(language, uasPort, p, server);
        } catch (RuntimeException | InterruptedException e) {
            p.close();
            throw e;
        }
    }

    String rpcAddress() {
        InetSocketAddress a = rpcServer.address();
        return a.getHostString() + ":" + a.getPort();
    }

    int sipPort() {
        return proxy.port();
    }

    String reloadMethod() {
        return language.equals("python") ? "app_python.reload" : "app_jsdt.reload";
    }

    /** The file a broken version's error must name. */
    Path scriptFile() {
        return dir().resolve(language.equals("python") ? "logic.py" : "logic.js");
    }

    /** Overwrites the script (and the Python helper module) with version {@code v}; its tag is "v/lower(v)". */
    void install(String version) {
        scriptFiles(language, version, uasPort).forEach((name, text) -> write(dir().resolve(name), text));
    }

    /** Overwrites the script with one that does not compile. */
    void installBroken() {
        write(scriptFile(), resource(language.equals("python") ? "broken.py" : "broken.js"));
    }

    /** The response object of one RPC command, sent over HTTP. */
    JsonNode rpc(String method, String... params) throws IOException, InterruptedException {
        return rpc.call(method, List.of(params));
    }

    /**
     * The X-Version of the proxy's reply to an OPTIONS sent now (null if the reply has none). The
     * wait is long: a worker's first message after a (re)load creates its script context.
     */
    String probe() {
        probe.send(SipRequests.options(proxy, probe, SipRequests.callId()));
        String text = probe.receive(PROBE_TIMEOUT);
        if (text == null) throw new AssertionError("no reply to OPTIONS within " + PROBE_TIMEOUT);
        SipWire reply = SipWire.parse(text);
        if (reply.status() != 200) throw new AssertionError("OPTIONS answered " + reply.firstLine());
        return reply.header("X-Version");
    }

    static String tag(String version) {
        return version + "/" + version.toLowerCase();
    }

    private Path dir() {
        return proxy.cfgFile().getParent();
    }

    private static Map<String, String> scriptFiles(String language, String version, int uasPort) {
        String logic = fill(resource(language.equals("python") ? "logic.py" : "logic.js"), version, uasPort);
        return language.equals("python")
                ? Map.of("logic.py", logic, "revision.py", fill(resource("revision.py"), version, uasPort))
                : Map.of("logic.js", logic);
    }

    private static String fill(String template, String version, int uasPort) {
        return template.replace("@VERSION@", version).replace("@SUFFIX@", version.toLowerCase())
                .replace("@UAS@", Integer.toString(uasPort));
    }

    static String resource(String name) {
        try (InputStream in = ReloadableProxy.class.getResourceAsStream("/reload/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource reload/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        probe.close();
        rpcServer.close();
        proxy.close();
    }
}
