package dev.kemi.tests.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.db.KamailioScripts;
import dev.kemi.tests.db.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * uac_reg's script functions through KEMI (KSR.uac.uac_reg_status/lookup/lookup_uri/request_to
 * in JavaScript) on Kemi Proxy and Kamailio 5.6.3, same rows and registrars as UacRegWireTest:
 * the answers must be Kamailio's and the native cfg's.
 */
class UacRegKemiTest {
    static String jsCfg(String listen, String db, Path dir) throws IOException {
        String cfg = UacRegWireTest.cfg(listen, db);
        return cfg.substring(0, cfg.indexOf("request_route {")) + "loadmodule \"app_jsdt.so\"\n"
                + "modparam(\"app_jsdt\", \"load\", \"" + dir.resolve("uacreg.js") + "\")\ncfgengine \"jsdt\"\n";
    }

    @Test
    void kemiAnswersAsKamailio() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(UacRegWireTest.SIPP) && Files.isExecutable(UacRegWireTest.KAMCMD),
                "sipp or kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        Path base = Files.createDirectories(Path.of("target/uacreg").toAbsolutePath());
        String js = Files.readString(UacRegWireTest.RESOURCES.resolve("uacreg.js"));

        Path od = Files.createDirectories(base.resolve("kemi-js-" + UUID.randomUUID()));
        String odb = TestDatabases.sqlite(od);
        UacRegWireTest.insertRows(odb);
        Map<String, String> ours;
        try (UacRegWireTest.Registrars r = new UacRegWireTest.Registrars(od);
             ProxyUnderTest p = ProxyUnderTest.start(jsCfg(UacRegWireTest.KEMI, odb, Path.of("{dir}")), Map.of("uacreg.js", js))) {
            UacRegWireTest.firstRound(p.cfgFile().getParent().resolve("ctl.sock"));
            ours = UacRegWireTest.status(UacRegWireTest.KEMI);
        }

        Path kd = Files.createDirectories(base.resolve("kamailio-js-" + UUID.randomUUID()));
        String kdb = "sqlite:///" + kd.resolve("k.sqlite");
        KamailioScripts.load(kdb);
        UacRegWireTest.insertRows(kdb);
        Files.writeString(kd.resolve("uacreg.js"), js);
        Path cfg = Files.writeString(kd.resolve("kamailio.cfg"), jsCfg(UacRegWireTest.KAMAILIO, kdb, kd).replace("{dir}", kd.toString()));
        Map<String, String> theirs;
        try (UacRegWireTest.Registrars r = new UacRegWireTest.Registrars(kd);
             Kamailio k = Kamailio.startBound(cfg, kd, List.of(new InetSocketAddress(UacRegWireTest.KAMAILIO, 5060)))) {
            UacRegWireTest.firstRound(kd.resolve("ctl.sock"));
            theirs = UacRegWireTest.status(UacRegWireTest.KAMAILIO);
        }
        assertEquals(UacRegWireTest.mask(theirs.toString(), UacRegWireTest.KAMAILIO), UacRegWireTest.mask(ours.toString(), UacRegWireTest.KEMI));
        assertEquals("200 status 1 sip:alice-local@kemi.test acc1", ours.get("status acc1 alice-local"));
    }
}
