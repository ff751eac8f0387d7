package dev.kemi.tests.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A SQLite subscriber database made from the schema Kamailio ships (what kamdbctl would create),
 * with rows as kamctl add writes them (password, ha1, ha1b).
 */
final class SubscriberDb {
    static final Path SCHEMA = Path.of("/usr/share/kamailio/db_sqlite");

    static boolean schemaInstalled() {
        return Files.isReadable(SCHEMA.resolve("standard-create.sql")) && Files.isReadable(SCHEMA.resolve("auth_db-create.sql"));
    }

    /** Creates the file with version and subscriber tables. */
    static void create(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String f : new String[] {"standard-create.sql", "auth_db-create.sql"}) {
                for (String sql : Files.readString(SCHEMA.resolve(f)).split(";\\s*\\n")) {
                    if (!sql.isBlank()) st.execute(sql);
                }
            }
        }
    }

    static void add(Path file, String user, String domain, String password) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, user);
            ps.setString(2, domain);
            ps.setString(3, password);
            ps.setString(4, md5(user + ":" + domain + ":" + password));
            ps.setString(5, md5(user + "@" + domain + ":" + domain + ":" + password));
            ps.executeUpdate();
        }
    }

    static void setVersion(Path file, int version) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE version SET table_version = " + version + " WHERE table_name = 'subscriber'");
        }
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private SubscriberDb() {}
}
