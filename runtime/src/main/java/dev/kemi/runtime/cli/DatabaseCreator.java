package dev.kemi.runtime.cli;

import dev.kemi.runtime.db.DbEngine;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbUrl;
import dev.kemi.runtime.db.StandaloneDatabase;
import java.sql.SQLException;

/** kamdbctl create's first step: the database itself, when the server does not have it yet. */
final class DatabaseCreator {
    private DatabaseCreator() {}

    /** Creates the URL's MySQL/PostgreSQL database if the server says it does not exist; SQLite creates its file itself. */
    static void createIfMissing(String url) {
        DbUrl u = DbUrl.parse(url);
        if (u.scheme().equals("sqlite")) return;
        try (StandaloneDatabase probe = StandaloneDatabase.open(url)) {
            return;
        } catch (DbException e) {
            if (!unknownDatabase(e)) throw e;
        }
        // the same server and credentials, on the database every server has
        String admin = url.substring(0, url.lastIndexOf("/" + u.database()) + 1) + (u.scheme().equals("postgres") ? "postgres" : "mysql");
        try (StandaloneDatabase db = StandaloneDatabase.open(admin)) {
            String name = db.database().engine().quote(u.database());
            db.database().raw(db.database().engine() == DbEngine.MYSQL
                    ? "CREATE DATABASE " + name + " CHARACTER SET latin1" : "CREATE DATABASE " + name);
        }
    }

    /** MySQL 1049 (ER_BAD_DB_ERROR), PostgreSQL 3D000 (invalid_catalog_name). */
    private static boolean unknownDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == 1049 || "3D000".equals(s.getSQLState()) || "42000".equals(s.getSQLState()) && s.getMessage().contains("Unknown database"))) {
                return true;
            }
        }
        return false;
    }
}
