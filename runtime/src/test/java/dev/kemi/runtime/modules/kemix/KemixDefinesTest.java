package dev.kemi.runtime.modules.kemix;

import static dev.kemi.runtime.modules.TestSupport.ctx;
import static dev.kemi.runtime.modules.TestSupport.invite;
import static dev.kemi.runtime.modules.TestSupport.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.engine.cfg.LoadedConfig;
import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.InlineProxy;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.TestSupport.FakeServices;
import dev.kemi.runtime.transport.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KSR.kx.get_def / get_defn / ifdef / ifndef see the cfg's #!define table of their own proxy. */
class KemixDefinesTest {
    @TempDir
    Path dir;

    @Test
    void definesOfTheLoadedCfgAsWritten() throws Exception {
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, """
                #!KAMAILIO
                #!define WITH_NAT
                #!define DBURL "sqlite:///tmp/x.db"
                #!define NUM 42
                #!define NEG -7
                #!trydef NUM 1
                #!ifdef NOT_THERE
                #!define HIDDEN 1
                #!endif
                listen=udp:127.0.68.1:5060
                loadmodule "kemix.so"
                request_route { drop; }
                """);
        LoadedConfig lc = ProxyLoader.load(cfg, Set.of("CLI=5"));
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try (InlineProxy p = InlineProxy.start(ProxyLoader.proxyConfig(lc), (dst, msg, late) -> true, timers)) {
            KemixModule kx = lc.functions().module(KemixModule.class);
            MessageContext c = ctx(new FakeServices(socket(Protocol.UDP, "127.0.68.1", 5060)), invite());
            // the value as written, quotes included; "" when undefined or defined without value
            assertEquals("\"sqlite:///tmp/x.db\"", kx.get_def(c, "DBURL"));
            assertEquals("", kx.get_def(c, "WITH_NAT"));
            assertEquals("", kx.get_def(c, "HIDDEN"));
            assertEquals(42, kx.get_defn(c, "NUM"));
            assertEquals(-7, kx.get_defn(c, "NEG"));
            assertEquals(5, kx.get_defn(c, "CLI"));
            assertEquals(0, kx.get_defn(c, "DBURL"));
            assertEquals(0, kx.get_defn(c, "HIDDEN"));
            assertTrue(kx.ifdef(c, "WITH_NAT"));
            assertTrue(kx.ifdef(c, "MOD_kemix"));
            assertTrue(kx.ifdef(c, "KAMAILIO_5_6"));
            assertFalse(kx.ifdef(c, "HIDDEN"));
            assertTrue(kx.ifndef(c, "HIDDEN"));
            assertFalse(kx.ifndef(c, "NUM"));
        } finally {
            timers.shutdownNow();
        }
    }
}
