package dev.kemi.tests.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.auth.AuthServers.FrontEnd;
import dev.kemi.tests.db.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * auth.cfg on Kemi Proxy with the subscriber table on SQLite, MariaDB and PostgreSQL: every step
 * of {@link AuthScenario} as Kamailio 5.6.3 answers it (checked by {@link AuthDifferentialTest}),
 * except that we accept a good qop=auth-int response.
 */
class AuthDbEnginesTest {
    static final String PROXY = "127.0.15.6", PEER = "127.0.15.7";
    private static Path dir;

    static final List<String> EXPECTED = List.of(
            "REGISTER without credentials => 401 Unauthorized | rc -5 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth\"",
            "good password, nc 1 => 200 OK | alice example.org sip:example.org 1 alice",
            "the same nc again => 401 Unauthorized | rc -4 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth\", stale=true",
            "nc 2 => 200 OK | alice example.org sip:example.org 1 alice",
            "wrong password => 401 Unauthorized | rc -2 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth\"",
            "unknown user => 401 Unauthorized | rc -3 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth\"",
            "auth user is not the To user => 401 Unauthorized | rc -8 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth\"",
            "expired nonce => 401 Unauthorized | rc -4 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth\", stale=true",
            "nonce from another secret => 401 Unauthorized | rc -1 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>",
            "credentials for another realm => 401 Unauthorized | rc -5 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>",
            "malformed credentials => 401 Unauthorized | rc -1 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>",
            "Basic credentials only => 401 Unauthorized | rc -5 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>",
            "REGISTER without qop => 401 Unauthorized | rc -5 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>",
            "response without qop => 200 OK | alice example.org sip:example.org 1 alice",
            "INVITE without credentials => 407 Proxy Authentication Required | rc -5 | Proxy-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth\"",
            "INVITE with proxy credentials => 200 OK | alice example.org sip:bob@example.org 1 alice",
            "INVITE with WWW credentials => 407 Proxy Authentication Required | rc -5 | Proxy-Authenticate: Digest realm=\"example.org\", nonce=<40>",
            "is_subscriber alice => 200 Checked | rc 1",
            "is_subscriber nobody => 200 Checked | rc -2",
            "REGISTER asking for auth-int => 401 Unauthorized | rc -5 | WWW-Authenticate: Digest realm=\"example.org\", nonce=<40>, qop=\"auth-int\"",
            "auth-int response over the body => 200 OK | alice example.org sip:example.org 1 alice");

    @BeforeAll
    static void dbHost() throws Exception {
        // our loopback block for the throwaway database servers, unless the run set one
        if (System.getProperty("kemi.test.dbhost") == null) System.setProperty("kemi.test.dbhost", "127.0.15.250");
        dir = Files.createTempDirectory("kemi-auth-engines");
    }

    @AfterAll
    static void clean() throws Exception {
        if (dir != null) try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String database(String engine) {
        String url = switch (engine) {
            case "mariadb" -> TestDatabases.mariadb();
            case "postgres" -> TestDatabases.postgres();
            default -> TestDatabases.sqlite(dir);
        };
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            for (String[] u : new String[][] {{"alice", "alice-pw"}, {"bob", "bob-pw"}}) {
                Map<String, DbValue> row = new LinkedHashMap<>();
                row.put("username", DbValue.of(u[0]));
                row.put("domain", DbValue.of(AuthScenario.DOMAIN));
                row.put("password", DbValue.of(u[1]));
                row.put("ha1", DbValue.of(DigestPeer.md5(u[0] + ":" + AuthScenario.DOMAIN + ":" + u[1])));
                row.put("ha1b", DbValue.of(DigestPeer.md5(u[0] + "@" + AuthScenario.DOMAIN + ":" + AuthScenario.DOMAIN + ":" + u[1])));
                db.database().insert("subscriber", row);
            }
        }
        return url;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "mariadb", "postgres"})
    void kamailiosOutcomesOnEveryEngine(String engine) throws Exception {
        String url = database(engine);
        try (ProxyUnderTest p = AuthServers.ours(FrontEnd.NATIVE, PROXY, url)) {
            Map<String, String> got = AuthScenario.run(PEER, new InetSocketAddress(PROXY, 5060));
            assertEquals(String.join("\n", EXPECTED), String.join("\n",
                    got.entrySet().stream().map(e -> e.getKey() + " => " + e.getValue()).toList()));
        }
    }
}
