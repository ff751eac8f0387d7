package dev.kemi.tests.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.KemiCli;
import org.junit.jupiter.api.Test;

class KemiRtpproxyCliTest {

    @Test
    void rtpproxySubcommandIsRegisteredWithRtpproxyOptions() {
        KemiCli.Result help = KemiCli.run("rtpproxy", "--help");
        assertEquals(0, help.exitCode(), help.err());
        for (String option : new String[] {"-l=ADDR|INT/EXT", "-A=ADV|ADV_INT/ADV_EXT", "-m=PORT", "-M=PORT",
                "-s=SOCKET", "-T=SECONDS", "-d=LEVEL"}) {
            assertTrue(help.out().contains(option), option + " in:\n" + help.out());
        }
        KemiCli.Result bad = KemiCli.run("rtpproxy", "-l", "not-an-address");
        assertEquals(2, bad.exitCode(), "usage error");
        assertTrue(bad.err().contains("not a numeric IP address: not-an-address"), bad.err());
    }
}
