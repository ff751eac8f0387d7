package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {

    private RelayFixture relay;

    @BeforeEach
    void start() throws IOException {
        relay = RelayFixture.start("127.0.0.1", null, 60);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void handshakeAnswersVersionAndFeatures() throws IOException {
        assertEquals("20040107", relay.command("V"));
        assertEquals("1", relay.command("VF 20050322"));
        assertEquals("1", relay.command("VF 20081102"));
        assertEquals("1", relay.command("VF 20080403"));
        assertEquals("0", relay.command("VF 20071116"));
        assertEquals("0", relay.command("VF 20081224"));
        assertEquals("0", relay.command("VF 19700101"));
    }

    @Test
    void updateCreatesSessionOnEvenPortInRangeAndLookupAnswersOtherStream() throws IOException {
        String u = relay.command("U call-1 127.0.0.1 30000 ftag;1");
        List<String> parts = RelayFixture.split(u);
        assertEquals(2, parts.size(), u);
        assertEquals("127.0.0.1", parts.get(1));
        int uPort = RelayFixture.port(u);
        assertEquals(0, uPort % 2);
        assertTrue(uPort >= relay.portMin && uPort + 1 <= relay.portMax, u);

        String l = relay.command("L call-1 127.0.0.1 30002 ftag;1 ttag;1");
        int lPort = RelayFixture.port(l);
        assertNotEquals(uPort, lPort);
        assertEquals(0, lPort % 2);
        assertEquals("127.0.0.1", RelayFixture.split(l).get(1));

        // an existing session answers with the same ports again (re-INVITE / retransmitted 200)
        assertEquals(u, relay.command("U call-1 127.0.0.1 30000 ftag;1 ttag;1"));
        assertEquals(l, relay.command("L call-1 127.0.0.1 30002 ftag;1 ttag;1"));
        // the callee's re-INVITE: its tag first, gets the caller-facing port
        assertEquals(lPort, RelayFixture.port(relay.command("U call-1 127.0.0.1 30002 ttag;1 ftag;1")));
    }

    @Test
    void retransmittedCommandGetsCachedReplyWithoutSecondSession() throws IOException {
        String first = relay.command("4711_1", "U call-2 127.0.0.1 30000 ftag;1");
        String again = relay.command("4711_1", "U call-2 127.0.0.1 30000 ftag;1");
        assertEquals(first, again);
        // even a different command under the same cookie is answered from the cache (rtpproxy does the same)
        assertEquals(first, relay.command("4711_1", "V"));
        assertTrue(relay.command("I").contains("active sessions: 1\n"), "one session only");
    }

    @Test
    void lookupOfUnknownSessionAnswersZero() throws IOException {
        assertEquals("0", relay.command("L nosuch 127.0.0.1 30000 a;1 b;1"));
    }

    @Test
    void deleteRemovesSessionAndUnknownDeleteIsE50() throws IOException {
        relay.command("U call-3 127.0.0.1 30000 ftag;1");
        relay.command("L call-3 127.0.0.1 30002 ftag;1 ttag;1");
        assertEquals("0", relay.command("D call-3 ftag ttag"));
        assertEquals("0", relay.command("L call-3 127.0.0.1 30002 ftag;1 ttag;1"));
        assertEquals("E50", relay.command("D call-3 ftag ttag"));
    }

    @Test
    void errorsUseRtpproxyCodes() throws IOException {
        assertEquals("E0", relay.command("Y call a"));
        assertEquals("E1", relay.command("U call 127.0.0.1"));
        assertEquals("E1", relay.command("V extra"));
        assertEquals("E2", relay.command("VX"));
        assertEquals("E2", relay.command("Xa"));
        assertEquals("E35", relay.command("Uq call 127.0.0.1 30000 f;1"));
        assertEquals("E11", relay.command("UE call 127.0.0.1 30000 f;1"));
        assertEquals("E12", relay.command("UI call 127.0.0.1 30000 f;1"));
        assertEquals("E13", relay.command("UZ0 call 127.0.0.1 30000 f;1"));
        assertEquals("E14", relay.command("Uc call 127.0.0.1 30000 f;1"));
        assertEquals("E37", relay.command("U call 127.0.0.999 30000 f;1"));
        assertEquals("E37", relay.command("U call 127.0.0.1 port f;1"));
        assertEquals("E8", relay.command("Dx call f"));
        assertEquals("E50", relay.command("Q call f;1"));
        assertEquals("E75", relay.command("U call 127.0.0.1 30000 f;1 t;1 notify tag"));
    }

    @Test
    void datagramWithoutCommandIsE5() throws IOException {
        relay.send("lonely_cookie");
        assertEquals("E5\n", relay.receive());
    }

    @Test
    void codecListAndRepacketizationAreAccepted() throws IOException {
        String u = relay.command("Uc0,8,101 call-4 127.0.0.1 30000 f;1");
        assertTrue(RelayFixture.port(u) > 0, u);
        assertTrue(RelayFixture.port(relay.command("LZ20c0 call-4 127.0.0.1 30000 f;1 t;1")) > 0);
    }

    @Test
    void queryReportsTtlAndCounters() throws IOException {
        relay.command("U call-5 127.0.0.1 30000 ftag;1");
        relay.command("L call-5 127.0.0.1 30002 ftag;1 ttag;1");
        assertEquals(List.of("60", "0", "0", "0", "0"), RelayFixture.split(relay.command("Q call-5 ftag;1 ttag;1")));
        assertEquals("ttl=60 npkts_ina=0 npkts_ino=0 nrelayed=0 ndropped=0",
                relay.command("Qv call-5 ftag;1 ttag;1"));
        assertEquals("nrelayed=0 ttl=60", relay.command("Qv call-5 ftag;1 ttag;1 nrelayed ttl"));
        assertEquals("E62", relay.command("Q call-5 ftag;1 ttag;1 bogus"));
    }

    @Test
    void deleteAllAndInfoAndStats() throws IOException {
        relay.command("U call-6 127.0.0.1 30000 a;1");
        relay.command("U call-7 127.0.0.1 30000 b;1");
        String info = relay.command("I");
        assertTrue(info.startsWith("sessions created: 2\nactive sessions: 2\nactive streams: 2\n"), info);
        assertEquals("0", relay.command("X"));
        assertTrue(relay.command("Ib").contains("active sessions: 0\n"));
        assertEquals("nsess_created=2 nsess_destroyed=2", relay.command("Gv nsess_created nsess_destroyed"));
        assertEquals("E68", relay.command("G nosuchstat"));
    }

    @Test
    void unixStreamSocketTakesOneCommandPerConnectionWithoutCookie() throws IOException {
        Path dir = Files.createTempDirectory("rtpp");
        Path sock = dir.resolve("ctl.sock");
        RtpProxyOptions options = RtpProxyOptions.defaults(ControlSocket.parse("unix:" + sock))
                .withListen("127.0.0.1").withPorts(relay.portMin, relay.portMax);
        try (RtpProxyServer unix = new RtpProxyServer(options)) {
            unix.start();
            assertEquals("20040107\n", unixCommand(sock, "V"));
            assertEquals("1\n", unixCommand(sock, "VF 20050322"));
            String u = unixCommand(sock, "U call-u 127.0.0.1 30000 f;1");
            assertTrue(u.matches("\\d+ 127\\.0\\.0\\.1\n"), u);
            assertEquals("0\n", unixCommand(sock, "D call-u f"));
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    private static String unixCommand(Path sock, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(512);
            while (ch.read(buf) >= 0) {
                // the relay closes the connection after its reply
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void controlSocketSpecsParseLikeRtpproxy() {
        assertEquals(ControlSocket.udp("0.0.0.0", 7722), ControlSocket.parse("udp:*:7722"));
        assertEquals(ControlSocket.udp("127.0.0.1", 22222), ControlSocket.parse("udp:127.0.0.1"));
        assertEquals(ControlSocket.udp("::1", 9000), ControlSocket.parse("udp6:[::1]:9000"));
        assertEquals(ControlSocket.unix(Path.of("/run/rtpp.sock")), ControlSocket.parse("unix:/run/rtpp.sock"));
    }

}
