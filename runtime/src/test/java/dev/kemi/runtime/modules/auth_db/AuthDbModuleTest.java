package dev.kemi.runtime.modules.auth_db;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kemi.api.FunctionTable;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.db.sqlite.DbSqliteModule;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.modules.auth.AuthModule;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.transport.Protocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auth_db over a SQLite subscriber table (our own minimal schema of Kamailio's columns). */
class AuthDbModuleTest {
    @TempDir
    Path dir;
    private Path file;
    private final FakeServices svc = new FakeServices(socket(Protocol.UDP, "127.0.15.1", 5060));
    private DbSqliteModule sqlite;
    private AuthModule auth;

    @BeforeEach
    void schema() throws Exception {
        file = dir.resolve("k.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE version (table_name VARCHAR(32) NOT NULL, table_version INTEGER DEFAULT 0 NOT NULL)");
            s.execute("INSERT INTO version VALUES ('subscriber', 7), ('old_subscriber', 6)");
            for (String t : new String[] {"subscriber", "old_subscriber"}) {
                s.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, username VARCHAR(64), domain VARCHAR(64),"
                        + " password VARCHAR(64), ha1 VARCHAR(128), ha1b VARCHAR(128), rpid VARCHAR(64))");
                s.execute("INSERT INTO " + t + " (id, username, domain, password, ha1, ha1b, rpid) VALUES (7, 'alice', 'example.org', 'pw', '"
                        + md5("alice:example.org:pw") + "', '" + md5("alice@example.org:example.org:pw") + "', '+4912345')");
            }
        }
    }

    @AfterEach
    void close() {
        if (sqlite != null) sqlite.shutdown();
    }

    private AuthDbModule authDb(Consumer<AuthDbModule> params) {
        sqlite = new DbSqliteModule();
        auth = new AuthModule();
        auth.secret("s3cr3t");
        AuthDbModule m = new AuthDbModule();
        m.dbUrl("sqlite:///" + file);
        params.accept(m);
        svc.functions = FunctionTable.build(List.of(new SlModule(), sqlite, auth, m));
        auth.init(svc);
        m.init(svc);
        return m;
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String register(String... extra) {
        StringBuilder b = new StringBuilder("REGISTER sip:example.org SIP/2.0\nVia: SIP/2.0/UDP 127.0.15.2:5070;branch=z9hG4bK-1\n"
                + "From: <sip:alice@example.org>;tag=a\nTo: <sip:alice@example.org>\nCall-ID: c1\nCSeq: 1 REGISTER\n");
        for (String e : extra) b.append(e).append('\n');
        return b.append("Content-Length: 0\n\n").toString();
    }

    private String nonce() {
        auth.auth_challenge(ctx(svc, register()), "example.org", 0);
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(svc.last().text());
        m.find();
        return m.group(1);
    }

    private static String creds(String username, String nonce, String password) throws Exception {
        String ha1 = md5(username + ":example.org:" + password);
        String resp = md5(ha1 + ":" + nonce + ":" + md5("REGISTER:sip:example.org"));
        return "Authorization: Digest username=\"" + username + "\", realm=\"example.org\", nonce=\"" + nonce
                + "\", uri=\"sip:example.org\", response=\"" + resp + "\"";
    }

    @Test
    void plainPasswordsAndLoadedCredentials() throws Exception {
        AuthDbModule m = authDb(a -> {
            a.calculateHa1(1);
            a.passwordColumn("password");
            a.loadCredentials("rpid;$avp(uid)=id");
        });
        String n = nonce();
        MessageContext ok = ctx(svc, register(creds("alice", n, "pw")));
        assertEquals(1, m.www_authorize(ok, "example.org", "subscriber"));
        assertEquals("+4912345", AvpStore.of(ok).get("rpid", 0));
        assertEquals(7, AvpStore.of(ok).get("uid", 0));
        MessageContext bad = ctx(svc, register(creds("alice", n, "nope")));
        assertEquals(-2, m.www_authorize(bad, "example.org", "subscriber"));
        assertNull(AvpStore.of(bad).get("rpid", 0));
        assertEquals(-3, m.auth_check(ctx(svc, register(creds("bob", n, "pw")).replace("alice@", "bob@")), "example.org", "subscriber", 1));
        assertEquals(-5, m.proxy_authorize(ctx(svc, register(creds("alice", n, "pw"))), "example.org", "subscriber"));
        assertEquals(1, m.www_authenticate_method(ctx(svc, register(creds("alice", n, "pw"))), "example.org", "subscriber", "REGISTER"));
        assertEquals(-2, m.www_authenticate_method(ctx(svc, register(creds("alice", n, "pw"))), "example.org", "subscriber", "INVITE"));
    }

    @Test
    void storedHa1AndHa1bForUsernamesWithDomain() throws Exception {
        AuthDbModule m = authDb(a -> {});
        String n = nonce();
        assertEquals(1, m.www_authorize(ctx(svc, register(creds("alice", n, "pw"))), "example.org", "subscriber"));
        assertEquals(1, m.www_authorize(ctx(svc, register(creds("alice@example.org", n, "pw"))), "example.org", "subscriber"));
    }

    @Test
    void useDomainMatchesTheDomainColumn() throws Exception {
        AuthDbModule m = authDb(a -> a.useDomain(1));
        String n = nonce();
        assertEquals(1, m.www_authorize(ctx(svc, register(creds("alice", n, "pw"))), "example.org", "subscriber"));
        String otherRealm = register(creds("alice", n, "pw").replace("realm=\"example.org\"", "realm=\"other.org\""));
        assertEquals(-3, m.www_authorize(ctx(svc, otherRealm), "other.org", "subscriber"));
    }

    @Test
    void tableVersionIsChecked() throws Exception {
        AuthDbModule m = authDb(a -> {});
        String n = nonce();
        assertEquals(-1, m.www_authorize(ctx(svc, register(creds("alice", n, "pw"))), "example.org", "old_subscriber"));
        AuthDbModule unchecked = authDb(a -> a.versionTable(0));
        // a nonce of its own: the first one may count as used already, which is not what this checks
        assertEquals(1, unchecked.www_authorize(ctx(svc, register(creds("alice", nonce(), "pw"))), "example.org", "old_subscriber"));
    }

    @Test
    void isSubscriber() throws Exception {
        AuthDbModule m = authDb(a -> a.loadCredentials("rpid"));
        MessageContext c = ctx(svc, register());
        assertEquals(1, m.is_subscriber(c, "sip:alice@example.org", "subscriber", 1));
        assertEquals("+4912345", AvpStore.of(c).get("rpid", 0));
        assertEquals(-2, m.is_subscriber(c, "sip:alice@other.org", "subscriber", 1));
        assertEquals(1, m.is_subscriber(c, "sip:alice@other.org", "subscriber", 2));
        assertEquals(-1, m.is_subscriber(c, "not a uri", "subscriber", 0));
    }

    @Test
    void needsTheAuthModuleAndADriver() {
        AuthDbModule m = new AuthDbModule();
        m.dbUrl("sqlite:///" + file);
        svc.functions = FunctionTable.build(List.of(new SlModule(), new DbSqliteModule(), m));
        assertEquals("module auth_db needs module auth: add loadmodule \"auth.so\"",
                assertThrows(IllegalStateException.class, () -> m.init(svc)).getMessage());
        AuthModule a = new AuthModule();
        AuthDbModule m2 = new AuthDbModule();
        m2.dbUrl("mysql://u:p@127.0.15.9/kamailio");
        svc.functions = FunctionTable.build(List.of(new SlModule(), a, m2));
        a.init(svc);
        assertEquals("auth_db: Module db_mysql not found. Missing loadmodule?",
                assertThrows(RuntimeException.class, () -> m2.init(svc)).getMessage());
    }
}
