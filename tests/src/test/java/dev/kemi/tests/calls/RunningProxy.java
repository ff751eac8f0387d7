package dev.kemi.tests.calls;

import java.nio.file.Files;
import java.nio.file.Path;

/** A proxy listening on UDP and TCP 127.0.0.1:{@link #port()}, started from a scripts/ cfg. */
interface RunningProxy extends AutoCloseable {
    int port();

    @Override
    void close();

    /** The repository's scripts/ directory. */
    static Path scripts() {
        return Path.of(System.getProperty("kemi.root", "..")).resolve("scripts").toAbsolutePath().normalize();
    }

    /**
     * The cfg of that front-end with 127.0.0.1:5060 replaced by {@code address} and the KEMI script
     * name by {@code scriptPath} (Kamailio resolves it against -w, Kemi Proxy against its cwd).
     */
    static String cfgText(FrontEnd fe, String address, String scriptPath) throws java.io.IOException {
        String text = Files.readString(scripts().resolve(fe.cfg)).replace("127.0.0.1:5060", address);
        return fe.script == null ? text : text.replace('"' + fe.script + '"', '"' + scriptPath + '"');
    }

    static RunningProxy start(FrontEnd fe, Path workDir) throws Exception {
        return fe.kamailio ? KamailioProcess.start(fe, workDir) : KemiProxy.start(fe);
    }
}
