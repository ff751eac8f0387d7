package dev.kemi.tests.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * dispatcher.add and dispatcher.remove through kamcmd, the same commands against Kamailio 5.6.3
 * and against us: the replies, the faults and dispatcher.list after each (the set order of the
 * rebuilt tree, equal priorities reversed by every rebuild, state flags kept, a set emptied away).
 */
class DispatcherRpcEditTest {
    static final String KEMI = "127.0.37.1", KAMAILIO = "127.0.37.2";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path dir;

    /** Each command and what kamcmd printed. */
    static final List<List<String>> COMMANDS = List.of(
            List.of("dispatcher.list"),
            List.of("dispatcher.set_state", "ip", "1", "sip:127.0.37.13:5060"),
            List.of("dispatcher.add", "1", "sip:127.0.37.15:5060"),
            List.of("dispatcher.list"),
            List.of("dispatcher.add", "3", "sip:127.0.37.16:5060", "8", "2", "duid=x;weight=10"),
            List.of("dispatcher.add", "2", "127.0.37.17", "0", "1"),
            List.of("dispatcher.list"),
            List.of("dispatcher.remove", "1", "sip:127.0.37.12:5060"),
            List.of("dispatcher.list"),
            List.of("dispatcher.remove", "9", "sip:127.0.37.99:5060"),
            List.of("dispatcher.remove", "2", "127.0.37.17"),
            List.of("dispatcher.remove", "1"),
            List.of("dispatcher.add", "1"),
            List.of("dispatcher.add", "x", "sip:127.0.37.18"),
            List.of("dispatcher.add", "1", "sip:127.0.37.18", "x"),
            List.of("dispatcher.remove", "1", "sip:"),
            List.of("dispatcher.add", "1", "::bad"),
            List.of("dispatcher.remove", "3", "sip:127.0.37.16:5060"),
            List.of("dispatcher.list", "full"));

    static String cfg(String listen) {
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                disable_tcp=yes
                listen=udp:%s:5060
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "ctl.so"
                loadmodule "dispatcher.so"
                modparam("ctl", "binrpc", "unix:{dir}/ctl.sock")
                modparam("dispatcher", "list_file", "{dir}/edit.list")
                # every command may follow the last at once (the default refuses them for 5 s)
                modparam("dispatcher", "reload_delta", 0)
                request_route {
                    sl_send_reply("404", "Not here");
                }
                """.formatted(listen);
    }

    static String play(Path ctl) throws Exception {
        StringBuilder b = new StringBuilder();
        for (List<String> c : COMMANDS) {
            b.append("> ").append(String.join(" ", c)).append('\n');
            List<String> args = new java.util.ArrayList<>(c);
            b.append(DispatcherSippTest.kamcmd(ctl, args.toArray(String[]::new))).append('\n');
        }
        return b.toString();
    }

    @Test
    void addAndRemoveReadAsKamailios() throws Exception {
        TestDatabases.requirePeer(Files.isExecutable(DispatcherSippTest.KAMCMD), "kamcmd is not installed");
        TestDatabases.requirePeer(Kamailio.installed(), "kamailio 5.6.3 is not installed");
        String list = Files.readString(DispatcherSippTest.RESOURCES.resolve("edit.list"));
        Path kd = Files.createDirectories(dir.resolve("kamailio"));
        Files.writeString(kd.resolve("edit.list"), list);
        Path kcfg = Files.writeString(kd.resolve("kamailio.cfg"), cfg(KAMAILIO).replace("{dir}", kd.toString()));
        String onKamailio;
        try (Kamailio k = Kamailio.startBound(kcfg, kd, List.of(new InetSocketAddress(KAMAILIO, 5060)))) {
            onKamailio = play(kd.resolve("ctl.sock"));
        }
        String onKemi;
        try (ProxyUnderTest p = ProxyUnderTest.start(cfg(KEMI), Map.of("edit.list", list))) {
            onKemi = play(p.cfgFile().getParent().resolve("ctl.sock"));
        }
        assertTrue(onKamailio.contains("Ok. Dispatcher destination added.") && onKamailio.contains("sip:127.0.37.15:5060"), onKamailio);
        assertEquals(onKamailio, onKemi);
    }
}
