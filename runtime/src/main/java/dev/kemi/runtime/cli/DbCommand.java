package dev.kemi.runtime.cli;

import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbCond;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.runtime.db.schema.Ddl;
import dev.kemi.runtime.db.schema.KamailioSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `kemi db init|add`: kamdbctl create and kamctl add for Kamailio's schema, on SQLite, MySQL/MariaDB, PostgreSQL. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Kamailio database tables and subscribers.",
        subcommands = {DbCommand.Init.class, DbCommand.Add.class})
final class DbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (init, add)");
    }

    /** Prints a DB error (no password in it) and returns the exit code. */
    static int fail(CommandSpec spec, String what, DbException e) {
        spec.commandLine().getErr().println(what + ": " + e.getMessage());
        return 1;
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create Kamailio 5.6.3's tables and version rows in the database of URL (kamdbctl create);"
                    + " a missing MySQL/PostgreSQL database is created first (the URL's user needs the right to).")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "URL",
                description = "Kamailio db_url: sqlite:////abs/file.db, mysql://user:pass@host[:port]/db, postgres://user:pass@host[:port]/db")
        String url;

        @Override
        public Integer call() {
            try {
                DatabaseCreator.createIfMissing(url);
            } catch (DbException e) {
                return fail(spec, "kemi db init", e);
            }
            try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
                Ddl.install(db.database(), KamailioSchema.TABLES);
                spec.commandLine().getOut().println("created " + KamailioSchema.TABLES.size() + " tables in " + db.database().url());
                return 0;
            } catch (DbException e) {
                return fail(spec, "kemi db init", e);
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a subscriber with ha1/ha1b as kamctl add computes them (realm = domain).")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Parameters(index = "1", paramLabel = "DOMAIN")
        String domain;

        @Parameters(index = "2", paramLabel = "PASSWORD")
        String password;

        @Option(names = "--url", required = true, defaultValue = "${env:KEMI_DB_URL}",
                description = "Kamailio db_url (default: $KEMI_DB_URL)")
        String url;

        @Option(names = "--no-plaintext", description = "Store an empty password column (kamctl's STORE_PLAINTEXT_PW=0).")
        boolean noPlaintext;

        @Override
        public Integer call() {
            try (StandaloneDatabase sdb = StandaloneDatabase.open(url)) {
                Database db = sdb.database();
                if (!db.query("subscriber", List.of(DbCond.eq("username", user), DbCond.eq("domain", domain)), List.of("id"), null).isEmpty()) {
                    spec.commandLine().getErr().println("user '" + user + "@" + domain + "' already exists");
                    return 1;
                }
                Map<String, DbValue> row = new LinkedHashMap<>();
                row.put("username", DbValue.of(user));
                row.put("domain", DbValue.of(domain));
                row.put("ha1", DbValue.of(md5(user + ":" + domain + ":" + password)));
                row.put("ha1b", DbValue.of(md5(user + "@" + domain + ":" + domain + ":" + password)));
                row.put("password", DbValue.of(noPlaintext ? "" : password));
                db.insert("subscriber", row);
                spec.commandLine().getOut().println("new user '" + user + "@" + domain + "' added");
                return 0;
            } catch (DbException e) {
                return fail(spec, "kemi db add", e);
            }
        }
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
