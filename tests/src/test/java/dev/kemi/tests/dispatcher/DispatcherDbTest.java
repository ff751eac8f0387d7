package dev.kemi.tests.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.db.StandaloneDatabase;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sets from the dispatcher table (version 4, as kamdbctl creates it) read the same on Kamailio
 * 5.6.3 and on us, before and after dispatcher.reload picks up a new row; a table of another
 * version stops the start as Kamailio does.
 */
class DispatcherDbTest {
    static final String KEMI = "127.0.66.4", KAMAILIO = "127.0.66.3";

    @TempDir
    Path dir;

    static String cfg(String listen, String dbUrl, String ctl) {
        return """
                #!KAMAILIO
                log_stderror=yes
                children=1
                disable_tcp=yes
                listen=udp:%s:5060
                loadmodule "db_sqlite.so"
                loadmodule "ctl.so"
                loadmodule "dispatcher.so"
                modparam("ctl", "binrpc", "unix:%s")
                modparam("dispatcher", "db_url", "%s")
                request_route {
                    exit;
                }
                """.formatted(listen, ctl, dbUrl);
    }

    static void row(String url, int setid, String dst, int flags, int priority, String attrs) {
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            db.database().insert("dispatcher", Map.of("setid", DbValue.of(setid), "destination", DbValue.of(dst),
                    "flags", DbValue.of(flags), "priority", DbValue.of(priority), "attrs", DbValue.of(attrs)));
        }
    }

    @Test
    void tableSetsAndReloadReadAsKamailios() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(DispatcherSippTest.KAMCMD), "kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        String url = TestDatabases.sqlite(dir);
        row(url, 10, "sip:127.0.66.60:5060", 0, 0, "");
        row(url, 10, "sip:127.0.66.61:5070;transport=udp", 8, 5, "duid=x;rweight=50;ping_from=sip:p@127.0.66.4");
        row(url, 20, "127.0.66.62", 0, 0, "weight=100");
        row(url, 5, "sip:127.0.66.63", 2, 1, "");

        Path kd = Files.createDirectories(dir.resolve("kamailio"));
        Path kctl = kd.resolve("ctl.sock");
        Path kcfg = Files.writeString(kd.resolve("kamailio.cfg"), cfg(KAMAILIO, url, kctl.toString()));
        String kBefore, kAfter, kFull, kHash;
        try (Kamailio k = Kamailio.startBound(kcfg, kd, List.of(new InetSocketAddress(KAMAILIO, 5060)))) {
            kBefore = DispatcherSippTest.kamcmd(kctl, "dispatcher.list");
            kFull = DispatcherSippTest.kamcmd(kctl, "dispatcher.list", "full");
            kHash = hashes(kctl);
            row(url, 20, "sip:127.0.66.64:5060", 0, 0, "");
            assertTrue(DispatcherSippTest.kamcmd(kctl, "dispatcher.reload").contains("Ok."), k.log());
            kAfter = DispatcherSippTest.kamcmd(kctl, "dispatcher.list");
        }
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            db.database().delete("dispatcher", List.of(dev.kemi.runtime.db.DbCond.eq("destination", DbValue.of("sip:127.0.66.64:5060"))));
        }
        String oBefore, oAfter, oFull, oHash;
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg(KEMI, url, "{dir}/ctl.sock"))) {
            Path ctl = p.cfgFile().getParent().resolve("ctl.sock");
            oBefore = DispatcherSippTest.kamcmd(ctl, "dispatcher.list");
            oFull = DispatcherSippTest.kamcmd(ctl, "dispatcher.list", "full");
            oHash = hashes(ctl);
            row(url, 20, "sip:127.0.66.64:5060", 0, 0, "");
            assertTrue(DispatcherSippTest.kamcmd(ctl, "dispatcher.reload").contains("Ok."));
            oAfter = DispatcherSippTest.kamcmd(ctl, "dispatcher.list");
        }
        assertTrue(kBefore.contains("NRSETS: 3"), kBefore);
        assertEquals(kBefore, oBefore);
        assertEquals(kFull, oFull);
        assertEquals(kAfter, oAfter);
        assertEquals(kHash, oHash);
        assertTrue(oAfter.contains("sip:127.0.66.64:5060"), oAfter);
    }

    /** dispatcher.hash of a few keys (the hash algorithms 0-3 use), of one or two parts, one not ASCII. */
    static String hashes(Path ctl) throws Exception {
        StringBuilder b = new StringBuilder();
        for (List<String> k : List.of(List.of("3", "a84b4c76e66710@pc33.atlanta.com"), List.of("7", "alice", "atlanta.com:5070"),
                List.of("2", "x"), List.of("5", "\u00e9t\u00e9-caf\u00e9", "h"))) {
            List<String> args = new java.util.ArrayList<>(List.of("dispatcher.hash"));
            args.addAll(k);
            b.append(DispatcherSippTest.kamcmd(ctl, args.toArray(String[]::new))).append('\n');
        }
        return b.toString();
    }

    @Test
    void anotherTableVersionStopsTheStart() {
        String url = TestDatabases.sqlite(dir);
        try (StandaloneDatabase db = StandaloneDatabase.open(url)) {
            db.database().update("version", List.of(dev.kemi.runtime.db.DbCond.eq("table_name", DbValue.of("dispatcher"))),
                    Map.of("table_version", DbValue.of(5)));
        }
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> ProxyUnderTest.start(cfg(KEMI, url, "{dir}/ctl.sock")).close());
        String all = e.toString() + (e.getCause() == null ? "" : e.getCause().toString());
        assertTrue(all.contains("invalid table version (found 5 , required 1, 2, 3 or 4)"), all);
    }
}
