package dev.kemi.tests.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.LocalSockets;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dialogs that survive a restart (dialog db_mode 1), on Kamailio 5.6.3 and on Kemi Proxy with
 * the same cfg, SIPp on 127.0.32.x: two calls are established, the proxy is stopped, one
 * call's 3 s timeout passes while it is down, the proxy starts again. The restarted proxy
 * lists the held call, BYEs both ends of the expired one, relays the held call's BYE (matched
 * by its did cookie) and deletes the rows. The rows written for the calls are compared column
 * by column with Kamailio's (SQLite; ours also on MariaDB, and with db_mode 2 and 3).
 */
class DialogDbTest {
    static final Path RESOURCES = DialogSippTest.RESOURCES.resolve("db");
    static final String PROXY = "127.0.32.1", UAS = "127.0.32.30", UAC = "127.0.32.20";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path dir;
    static Run kamailio, kemiSqlite, kemiMariadb, kemiDelayed, kemiShutdown;

    /** What one proxy did: the rows after the ACKs, what it listed after the restart, how the calls ended. */
    record Run(List<Map<String, String>> dialogs, List<Map<String, String>> vars, String listAfterRestart, String sizeAfterRestart,
               int heldExit, int timeoutExit, int calleeExit, int rowsAtEnd, int varRowsAtEnd) {}

    /** Starts one proxy on the cfg and stops it. */
    interface Proxy extends AutoCloseable {
        @Override void close();
    }

    @BeforeAll
    static void runAll() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(DialogSippTest.SIPP) && Files.isExecutable(DialogSippTest.KAMCMD),
                "sipp or kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        Path kd = Files.createDirectories(dir.resolve("kamailio"));
        String kurl = TestDatabases.sqlite(kd);
        kamailio = drive(kd, kurl, 1, () -> {
            Path cfg = Files.writeString(kd.resolve("kamailio.cfg"), cfg(kurl, kd.resolve("ctl.sock"), 1));
            Kamailio k = Kamailio.startBound(cfg, kd, List.of(new InetSocketAddress(PROXY, 5060)));
            return k::close;
        });
        Path sd = Files.createDirectories(dir.resolve("kemi-sqlite"));
        kemiSqlite = drive(sd, TestDatabases.sqlite(sd), 1, null);
        Path md = Files.createDirectories(dir.resolve("kemi-mariadb"));
        kemiMariadb = drive(md, TestDatabases.mariadb(), 1, null);
        Path dd = Files.createDirectories(dir.resolve("kemi-delayed"));
        kemiDelayed = drive(dd, TestDatabases.sqlite(dd), 2, null);
        Path hd = Files.createDirectories(dir.resolve("kemi-shutdown"));
        kemiShutdown = drive(hd, TestDatabases.sqlite(hd), 3, null);
    }

    static String cfg(String url, Path ctl, int mode) throws IOException {
        return Files.readString(RESOURCES.resolve("dialog-db.cfg")).replace("{listen}", PROXY).replace("{uas}", UAS)
                .replace("{dburl}", url).replace("{dbmodule}", TestDatabases.driverModule(url)).replace("{dbmode}", Integer.toString(mode))
                .replace("{ctl}", ctl.toString());
    }

    interface Starter {
        Proxy start() throws Exception;
    }

    /** db_mode 3 writes nothing before the proxy stops: the calls are awaited in dlg.list, the rows after the stop. */
    static Run drive(Path d, String url, int mode, Starter kamailioStarter) throws Exception {
        Path ctl = d.resolve("ctl.sock");
        Starter starter = kamailioStarter != null ? kamailioStarter : () -> {
            ProxyUnderTest p = ProxyUnderTest.start(cfg(url, ctl, mode));
            return p::close;
        };
        Process uas = uas(d);
        Proxy proxy = starter.start();
        Process held = null, timeout = null;
        try {
            // one call after the other: Kamailio's SQLite writers in two processes at once fail with "database is locked"
            Predicate<List<Map<String, String>>> confirmed = r -> r.size() == 2 && r.stream().allMatch(x -> "4".equals(x.get("state")));
            held = uac(d, "held", 5070, "uac_held.xml");
            if (mode == 3) DialogSippTest.awaitConfirmed(ctl, 1);
            else await(url, "dialog", r -> r.size() == 1 && "4".equals(r.get(0).get("state")));
            timeout = uac(d, "timeout", 5071, "uac_timeout.xml");
            List<Map<String, String>> rows, vars;
            if (mode == 3) {
                DialogSippTest.awaitConfirmed(ctl, 2);
                assertTrue(rows(url, "dialog").isEmpty(), "db_mode 3 writes nothing while running");
                proxy.close();
                proxy = null;
            }
            rows = await(url, "dialog", confirmed);
            vars = await(url, "dialog_vars", r -> r.size() == 4);
            if (proxy != null) proxy.close();
            proxy = null;
            long expiry = rows.stream().filter(r -> r.get("callid").contains("timeout")).mapToLong(r -> Long.parseLong(r.get("timeout")))
                    .findFirst().orElseThrow(() -> new AssertionError("no timeout row: " + rows));
            while (System.currentTimeMillis() / 1000 <= expiry) Thread.sleep(100); // the timeout has to pass while the proxy is down
            proxy = starter.start();
            String list = DialogSippTest.kamcmd(ctl, "dlg.list");
            String size = DialogSippTest.kamcmd(ctl, "dlg.profile_get_size", "inbound").trim();
            int heldExit = DialogSippTest.exit(held), timeoutExit = DialogSippTest.exit(timeout), calleeExit = DialogSippTest.exit(uas);
            List<Map<String, String>> end = await(url, "dialog", List::isEmpty);
            List<Map<String, String>> endVars = await(url, "dialog_vars", List::isEmpty);
            return new Run(rows, vars, list, size, heldExit, timeoutExit, calleeExit, end.size(), endVars.size());
        } finally {
            if (proxy != null) proxy.close();
            for (Process p : new Process[] {held, timeout, uas}) if (p != null) DialogSippTest.stop(p);
        }
    }

    /** The callee for both calls: exits 0 once both ended with a BYE it answered. */
    static Process uas(Path d) throws Exception {
        Process p = new ProcessBuilder(DialogSippTest.SIPP.toString(), "-sf", DialogSippTest.RESOURCES.resolve("uas.xml").toString(),
                "-i", UAS, "-p", "5060", "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()), "-m", "2", "-timeout", "40s",
                "-timeout_error", "-trace_msg", "-message_file", d.resolve("uas.msg").toString())
                .redirectErrorStream(true).redirectOutput(d.resolve("uas.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LocalSockets.udpBound(new InetSocketAddress(UAS, 5060))) {
            if (!p.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("uas did not start");
            Thread.sleep(20); // polling SIPp's bind: nothing to await on
        }
        return p;
    }

    static Process uac(Path d, String service, int port, String scenario) throws Exception {
        return new ProcessBuilder(DialogSippTest.SIPP.toString(), "-sf", RESOURCES.resolve(scenario).toString(), "-s", service,
                "-i", UAC, "-p", Integer.toString(port), "-m", "1", "-cid_str", "dlgdb-" + service + "-%u@%s", "-nostdin", "-cp", Integer.toString(ProxyUnderTest.freePort()),
                "-timeout", "40s", "-timeout_error", "-trace_msg", "-message_file", d.resolve("uac-" + service + ".msg").toString(),
                PROXY + ":5060").redirectErrorStream(true).redirectOutput(d.resolve("uac-" + service + ".out").toFile()).start();
    }

    /** The table's rows (column to text, by Call-ID) once they satisfy the condition, or as they are after 20 s. */
    static List<Map<String, String>> await(String url, String table, Predicate<List<Map<String, String>>> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Map<String, String>> rows;
        do {
            rows = rows(url, table);
            if (ok.test(rows)) return rows;
            Thread.sleep(100); // polling the rows another process writes
        } while (System.nanoTime() < deadline);
        return rows;
    }

    /**
     * The rows as they are. An SQLite file is read through a copy: a reader's lock would make
     * Kamailio's db_sqlite (no busy timeout) fail its writes with "database is locked".
     */
    static List<Map<String, String>> rows(String url, String table) throws IOException {
        if (url.startsWith("sqlite:///")) {
            Path file = Path.of(url.substring("sqlite://".length()));
            Path copy = file.resolveSibling("read-" + file.getFileName());
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try {
                return readRows("sqlite:///" + copy, table);
            } catch (dev.kemi.runtime.db.DbException e) {
                return List.of(); // copied mid-write: the next poll reads again
            }
        }
        return readRows(url, table);
    }

    private static List<Map<String, String>> readRows(String url, String table) {
        List<Map<String, String>> out = new ArrayList<>();
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            for (DbRow r : db.database().query(table, List.of(), List.of(), "id").rows()) {
                Map<String, String> m = new TreeMap<>();
                for (int i = 0; i < r.values().size(); i++) m.put(r.columns().names().get(i).toLowerCase(), r.get(i).asString());
                out.add(m);
            }
        }
        out.sort(java.util.Comparator.comparing((Map<String, String> m) -> String.valueOf(m.get("callid")) + m.get("hash_id")
                + m.get("dialog_key")));
        return out;
    }

    /** A row with what differs between runs masked: ids, times (the timeout as the lifetime), SIPp's pid, profile puids. */
    static Map<String, String> normalize(Map<String, String> row, Map<Long, String> idNames) {
        Map<String, String> m = new TreeMap<>(row);
        m.remove("id");
        String hid = m.remove("hash_id");
        m.put("hash_id", idNames.getOrDefault(Long.parseLong(hid), "?"));
        if (m.containsKey("start_time")) {
            long start = Long.parseLong(m.remove("start_time"));
            m.put("timeout", Long.toString(Long.parseLong(m.get("timeout")) - start));
        }
        m.replaceAll((k, v) -> v == null ? null : v.replaceAll("\\d+SIPpTag", "PIDSIPpTag").replaceAll("\"puid\":\"[^\"]*\"", "\"puid\":\"P\""));
        return m;
    }

    /** Both tables of a run, normalized; hash_id replaced by the call it belongs to. */
    static List<Map<String, String>> normalized(Run r) {
        Map<Long, String> ids = new java.util.HashMap<>();
        for (Map<String, String> d : r.dialogs()) ids.put(Long.parseLong(d.get("hash_id")), d.get("callid"));
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> d : r.dialogs()) out.add(normalize(d, ids));
        List<Map<String, String>> vars = new ArrayList<>();
        for (Map<String, String> v : r.vars()) vars.add(normalize(v, ids));
        vars.sort(java.util.Comparator.comparing((Map<String, String> m) -> m.get("hash_id") + "/" + m.get("dialog_key")));
        out.addAll(vars);
        return out;
    }

    static List<Run> ours() {
        return List.of(kemiSqlite, kemiMariadb, kemiDelayed, kemiShutdown);
    }

    @Test
    void rowsAreKamailios() {
        assertEquals(2, kamailio.dialogs().size(), "Kamailio wrote both dialogs: " + kamailio.dialogs());
        for (Run r : ours()) {
            List<Map<String, String>> want = normalized(kamailio), got = normalized(r);
            assertEquals(want.size(), got.size(), "rows: " + got);
            for (int i = 0; i < want.size(); i++) {
                Map<String, String> w = new TreeMap<>(want.get(i)), g = new TreeMap<>(got.get(i));
                // the lifetime counts from the ACK, which may fall in the second after the 200 OK's
                String wt = w.remove("timeout"), gt = g.remove("timeout");
                assertEquals(w, g, "row " + i);
                if (wt != null) assertTrue(Math.abs(Long.parseLong(wt) - Long.parseLong(gt)) <= 1, "timeout " + gt + " for " + wt);
            }
        }
    }

    @Test
    void dialogsSurviveTheRestart() {
        for (Run r : List.of(kamailio, kemiSqlite, kemiMariadb, kemiDelayed, kemiShutdown)) {
            assertTrue(r.listAfterRestart().contains("dlgdb-held-1@" + UAC), "dlg.list shows the held call: " + r.listAfterRestart());
            assertEquals(0, r.heldExit(), "the caller's BYE after the restart was answered by the callee");
            assertEquals(0, r.timeoutExit(), "the caller got the BYE of the dialog that expired while the proxy was down");
            // Kamailio 5.6.3 races here: the caller's 200 OK to the first BYE, handled by another
            // process, may delete the dialog before the callee's BYE is sent ("terminating
            // non-confirmed dialogs not supported"); we send both on one worker
            if (r != kamailio) assertEquals(0, r.calleeExit(), "the callee got both BYEs and answered them");
            assertEquals(0, r.rowsAtEnd(), "dialog rows deleted");
            assertEquals(0, r.varRowsAtEnd(), "dialog_vars rows deleted");
        }
    }

    @Test
    void profilesAreRestored() {
        for (Run r : List.of(kamailio, kemiSqlite, kemiMariadb, kemiDelayed, kemiShutdown)) {
            assertTrue(r.sizeAfterRestart().equals("1") || r.sizeAfterRestart().equals("2"),
                    "the inbound profile holds the loaded dialogs: " + r.sizeAfterRestart());
        }
    }
}
