package dev.kemi.tests.db;

import dev.kemi.runtime.db.DbUrl;
import dev.kemi.runtime.db.StandaloneDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kamailio 5.6.3's own create scripts (kamailio-*-modules packages), loaded into a database as
 * {@code kamdbctl create} would, so tests can compare our schema with theirs and run us on a
 * database Kamailio made.
 */
public final class KamailioScripts {
    /** The scripts of the tables our modules use (kamdbctl's standard set, restricted). */
    public static final List<String> MODULES = List.of("standard", "auth_db", "usrloc", "acc", "permissions", "htable",
            "dispatcher", "dialog", "registrar", "domain", "uac");

    private KamailioScripts() {}

    public static Path dir(String url) {
        return Path.of("/usr/share/kamailio", switch (DbUrl.parse(url).scheme()) {
            case "sqlite" -> "db_sqlite";
            case "mysql" -> "mysql";
            case "postgres" -> "postgres";
            default -> throw new IllegalArgumentException(url);
        });
    }

    public static boolean installed(String url) {
        return Files.isRegularFile(dir(url).resolve("standard-create.sql"));
    }

    /** Runs the scripts of {@link #MODULES} against the (empty) database of {@code url}. */
    public static void load(String url) {
        TestDatabases.requirePeer(installed(url), "Kamailio's schema scripts in " + dir(url) + " not installed");
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            for (String m : MODULES) {
                String text = Files.readString(dir(url).resolve(m + "-create.sql"));
                for (String stmt : text.split(";\\s*\\n")) {
                    if (!stmt.isBlank()) db.database().raw(stmt.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
