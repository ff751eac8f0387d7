package dev.kemi.tests.auth;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** auth.cfg (and its KEMI scripts) filled in for one address and database, run by us or by Kamailio 5.6.3. */
final class AuthServers {
    static final Path RESOURCES = Path.of(System.getProperty("kemi.root", ".."))
            .resolve("tests/src/test/resources/auth").toAbsolutePath().normalize();

    /** "native", "python" or "js". */
    enum FrontEnd {
        NATIVE(null), PYTHON("KEMI_PY"), JS("KEMI_JS");

        final String define;

        FrontEnd(String define) {
            this.define = define;
        }
    }

    private AuthServers() {}

    static String text(String file, String ip, Path dir, String dbUrl) {
        try {
            String module = "db_" + (dbUrl.startsWith("sqlite:") ? "sqlite" : dbUrl.startsWith("postgres:") ? "postgres" : "mysql");
            return Files.readString(RESOURCES.resolve(file)).replace("{ip}", ip).replace("{dir}", dir.toString())
                    .replace("{dbmodule}", module).replace("{dburl}", dbUrl).replace("{secret}", AuthScenario.SECRET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** extra: more defines (SHA256 sets modparam("auth", "algorithm", "SHA-256")). */
    private static String cfg(FrontEnd fe, String ip, Path dir, String db, String... extra) {
        StringBuilder defs = new StringBuilder(fe.define == null ? "" : "#!define " + fe.define + "\n");
        for (String d : extra) defs.append("#!define ").append(d).append('\n');
        return defs + text("auth.cfg", ip, dir, db);
    }

    /** Our proxy on ip:5060; the KEMI scripts are written next to the cfg ({dir}). */
    static ProxyUnderTest ours(FrontEnd fe, String ip, String db, String... defines) {
        // the scripts' path is the proxy's own temp dir: fill it in through ProxyUnderTest's {dir}
        String cfg = cfg(fe, ip, Path.of("{dir}"), db, defines);
        return ProxyUnderTest.start(cfg, Map.of("auth.py", text("auth.py", ip, Path.of("."), db), "auth.js", text("auth.js", ip, Path.of("."), db)));
    }

    /** Kamailio on ip:5060 with the same files in dir. */
    static Kamailio kamailio(FrontEnd fe, String ip, Path dir, String db, String... defines) throws IOException {
        Files.writeString(dir.resolve("auth.py"), text("auth.py", ip, dir, db));
        Files.writeString(dir.resolve("auth.js"), text("auth.js", ip, dir, db));
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, cfg(fe, ip, dir, db, defines));
        return Kamailio.startBound(cfg, dir, List.of(new InetSocketAddress(ip, 5060)));
    }
}
