package dev.kemi.tests.control;

import static org.junit.jupiter.api.Assertions.*;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ctl's "binrpc" and "mode" parameters: several sockets, relative names under the runtime directory, TCP. */
class CtlSocketsTest {
    @Test
    void severalSocketsWithTheirMode() throws Exception {
        Peers.require("kamcmd");
        Path dir = Files.createTempDirectory("ctl-sockets");
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, """
                #!KAMAILIO
                children=1
                listen=udp:127.0.16.5:15080
                rundir="%s"
                loadmodule "sl.so"
                loadmodule "ctl.so"
                loadmodule "jsonrpcs.so"
                modparam("ctl", "binrpc", "unix:my_ctl")
                modparam("ctl", "binrpc", "tcp:127.0.16.5:15081")
                modparam("ctl", "mode", 0660)
                modparam("jsonrpcs", "transport", 2)
                modparam("jsonrpcs", "fifo_name", "%s/other.fifo")
                modparam("jsonrpcs", "fifo_mode", 0600)
                request_route {
                    sl_send_reply("404", "Not here");
                }
                """.formatted(dir, dir));
        SipProxy p = SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(cfg, Set.of())));
        try {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("my_ctl"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("other.fifo"))));
            assertFalse(Files.exists(dir.resolve("kamailio_rpc.sock")), "transport 2 is the FIFO only");
            assertTrue(Peers.kamcmd(dir.resolve("my_ctl"), "core.version").contains("kamailio 5.6.3"));
            String tcp = Peers.run(List.of("kamcmd", "-s", "tcp:127.0.16.5:15081", "core.uptime"));
            assertTrue(tcp.startsWith("{\n\tnow: "), tcp);
        } finally {
            p.close();
        }
        assertFalse(Files.exists(dir.resolve("my_ctl")), "removed at shutdown");
    }
}
