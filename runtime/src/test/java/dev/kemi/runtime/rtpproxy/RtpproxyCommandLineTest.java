package dev.kemi.runtime.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpproxyCommandLineTest {

    @Test
    void bridgeModeCommandLineOfThePlayground() throws Exception {
        RtpProxyOptions o = RtpProxyArgs.parse("-A", "1.1.1.1/10.0.2.100", "-u", "rtpproxy",
                "-l", "10.0.1.100/10.0.2.100", "-m", "10000", "-M", "20000", "-s", "udp:*:7722", "-d", "INFO");
        assertTrue(o.bridgeMode());
        assertEquals(List.of(InetAddress.getByName("10.0.1.100"), InetAddress.getByName("10.0.2.100")), o.listen());
        assertEquals(List.of("1.1.1.1", "10.0.2.100"), o.advertised());
        assertEquals(10000, o.portMin());
        assertEquals(20000, o.portMax());
        assertEquals(List.of(ControlSocket.udp("0.0.0.0", 7722)), o.control());
        assertEquals(RtpProxyOptions.DEFAULT_TTL, o.ttlSeconds());
    }

    @Test
    void defaultsAndErrors() {
        RtpProxyOptions o = RtpProxyArgs.parse();
        assertEquals(List.of(), o.listen());
        assertEquals(35000, o.portMin());
        assertEquals(65000, o.portMax());
        assertEquals(List.of(ControlSocket.udp("127.0.0.1", 22222)), o.control());
        assertThrows(IllegalArgumentException.class, () -> RtpProxyArgs.parse("-l", "not-an-ip"));
        assertThrows(IllegalArgumentException.class, () -> RtpProxyArgs.parse("-m", "3000", "-M", "2000"));
        assertThrows(IllegalArgumentException.class, () -> RtpProxyArgs.parse("-l", "127.0.0.1", "-A", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> RtpProxyArgs.parse("-s", "tcp:1.2.3.4:5"));
    }
}
