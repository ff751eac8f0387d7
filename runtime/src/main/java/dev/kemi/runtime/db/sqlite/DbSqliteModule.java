package dev.kemi.runtime.db.sqlite;

import com.zaxxer.hikari.HikariConfig;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.runtime.db.DbDriver;
import dev.kemi.runtime.db.DbEngine;
import dev.kemi.runtime.db.DbUrl;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * db_sqlite: {@code sqlite:////abs/file.db} (or {@code sqlite:///relative.db}). DATETIME is
 * written as a Julian day number, as Kamailio's db_sqlite does.
 */
@Module(value = "db_sqlite", loadName = "db_sqlite")
public final class DbSqliteModule extends DbDriver {
    private static final Set<String> JOURNAL_MODES = Set.of("DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF");
    private final Set<String> readonly = new HashSet<>();
    private final Map<String, String> journalModes = new ConcurrentHashMap<>();

    public DbSqliteModule() {
        super(DbEngine.SQLITE);
    }

    /** The database file (as written in the URL's path) is opened read-only. */
    @Param("db_set_readonly")
    public void dbSetReadonly(String database) {
        readonly.add(database);
    }

    /**
     * {@code file=MODE;file2=MODE}: PRAGMA journal_mode for those files. (Kamailio 5.6.3 inverts
     * its check of the mode name, so there only names that are not a valid mode are applied; we
     * apply the valid ones, as the documentation says.)
     */
    @Param("db_set_journal_mode")
    public void dbSetJournalMode(String spec) {
        for (String part : spec.split(";")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("db_set_journal_mode: expected file=MODE, got '" + part + "'");
            String mode = part.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
            if (!JOURNAL_MODES.contains(mode)) throw new IllegalArgumentException("db_set_journal_mode: unknown journal mode '" + mode + "'");
            journalModes.put(part.substring(0, eq).trim(), mode);
        }
    }

    @Override
    protected void configure(HikariConfig cfg, DbUrl url) {
        // SQLite serialises writers; a few connections let readers run beside one writer
        cfg.setMaximumPoolSize(4);
        cfg.addDataSourceProperty("busy_timeout", "5000");
        if (readonly.contains(url.database())) cfg.addDataSourceProperty("open_mode", "1");
        String mode = journalModes.get(url.database());
        if (mode != null) cfg.addDataSourceProperty("journal_mode", mode);
    }

    @Override
    protected int retries() {
        return 0;
    }
}
