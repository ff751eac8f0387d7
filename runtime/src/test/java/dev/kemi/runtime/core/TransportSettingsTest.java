package dev.kemi.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.api.ScriptException;
import dev.kemi.runtime.transport.TransportConfig;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import dev.kemi.runtime.transport.LocalAddresses;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {
    private static TransportConfig cfg(Map<String, List<String>> g) {
        return TransportSettings.from(Globals.of(g));
    }

    @Test
    void listenLinesWithProtocolsPortsAndAdvertise() {
        TransportConfig c = cfg(Map.of(
                "listen", List.of("udp:127.0.0.1:5070", "127.0.0.2 tcp:[::1]:5090 advertise 192.0.2.1:6000", "tcp:127.0.0.3"),
                "port", List.of("5080"),
                "auto_aliases", List.of("no")));
        assertEquals(List.of("udp:127.0.0.1:5070", "udp:127.0.0.2:5080", "tcp:127.0.0.2:5080", "tcp:0:0:0:0:0:0:0:1:5090",
                "tcp:127.0.0.3:5080"), c.sockets().stream().map(ListenSocket::toString).toList());
        ListenSocket v6 = c.sockets().get(3);
        assertEquals("192.0.2.1", v6.viaHost());
        assertEquals(6000, v6.viaPort());
        assertEquals(null, c.sockets().get(4).advertiseHost());
    }

    @Test
    void disableTcpDropsTcpSockets() {
        TransportConfig c = cfg(Map.of("listen", List.of("127.0.0.1:5070", "tcp:127.0.0.1:5071"), "disable_tcp", List.of("yes")));
        assertEquals(List.of("udp:127.0.0.1:5070"), c.sockets().stream().map(ListenSocket::toString).toList());
    }

    @Test
    void tcpSettingsAndDefaults() {
        TransportConfig d = cfg(Map.of("listen", List.of("udp:127.0.0.1:5070")));
        assertEquals(120, d.tcpConnectionLifetime());
        assertEquals(2048, d.tcpMaxConnections());
        TransportConfig c = cfg(Map.of("listen", List.of("udp:127.0.0.1:5070"), "tcp_connection_lifetime", List.of("30"),
                "tcp_max_connections", List.of("7"), "tcp_children", List.of("3")));
        assertEquals(30, c.tcpConnectionLifetime());
        assertEquals(7, c.tcpMaxConnections());
        assertEquals(3, c.tcpIoThreads());
    }

    @Test
    void writeQueueSettingsWithKamailiosDefaults() {
        TransportConfig d = cfg(Map.of("listen", List.of("udp:127.0.0.1:5070")));
        assertTrue(d.tcpAsync());
        assertEquals(32 * 1024, d.tcpConnWqMax());
        assertEquals(10 * 1024 * 1024, d.tcpWqMax());
        assertEquals(10, d.tcpSendTimeout());
        assertEquals(1024, d.tcpAcceptIplimit());
        TransportConfig c = cfg(Map.of("listen", List.of("udp:127.0.0.1:5070"), "tcp_async", List.of("no"),
                "tcp_conn_wq_max", List.of("65536"), "tcp_wq_max", List.of("1048576"), "tcp_send_timeout", List.of("-1"),
                "tcp_accept_iplimit", List.of("0")));
        assertFalse(c.tcpAsync());
        assertEquals(65536, c.tcpConnWqMax());
        assertEquals(1048576, c.tcpWqMax());
        assertEquals(10, c.tcpSendTimeout(), "negative: the default, as Kamailio's fix_timeout");
        assertEquals(0, c.tcpAcceptIplimit(), "0: no per-IP limit");
    }

    @Test
    void aliasesAndListenHostNamesAreMyself() {
        TransportConfig c = cfg(Map.of("listen", List.of("udp:localhost:5070"),
                "alias", List.of("sip.example.com", "tcp:other.example.com:5099")));
        LocalAddresses self = new LocalAddresses(c.sockets(), c.aliases());
        assertTrue(self.isMyself("127.0.0.1", 5070, Protocol.UDP));
        assertTrue(self.isMyself("LOCALHOST", 5070, null));
        assertFalse(self.isMyself("127.0.0.1", 5071, null));
        assertTrue(self.isMyself("127.0.0.1", 0, null));
        assertFalse(self.isMyself("127.0.0.1", 5070, Protocol.TCP));
        assertTrue(self.isMyself("sip.example.com", 1234, Protocol.UDP));
        assertTrue(self.isMyself("other.example.com", 5099, Protocol.TCP));
        assertFalse(self.isMyself("other.example.com", 5060, Protocol.TCP));
        assertFalse(self.isMyself("other.example.com", 5099, Protocol.UDP));
        assertFalse(self.isMyself("127.0.0.9", 0, null));
    }

    @Test
    void webSocketsAreTheSocketsTheyUpgrade() {
        // grep_sock_info: WS among the TCP sockets, then the TLS ones; WSS among the TLS ones
        TransportConfig c = cfg(Map.of("listen", List.of("tcp:127.0.0.1:5060", "tls:127.0.0.1:8443"), "enable_tls", List.of("yes"),
                "auto_aliases", List.of("no")));
        LocalAddresses self = new LocalAddresses(c.sockets(), c.aliases());
        assertTrue(self.isMyself("127.0.0.1", 8443, Protocol.WS));
        assertTrue(self.isMyself("127.0.0.1", 5060, Protocol.WS));
        assertTrue(self.isMyself("127.0.0.1", 8443, Protocol.WSS));
        assertFalse(self.isMyself("127.0.0.1", 5060, Protocol.WSS));
        assertFalse(self.isMyself("127.0.0.1", 8443, Protocol.UDP));
    }

    @Test
    void ipv6AndAdvertisedAddressesAreMyself() {
        TransportConfig c = cfg(Map.of("listen", List.of("udp:[::1]:5070 advertise sip.example.org:5080"),
                "auto_aliases", List.of("no")));
        LocalAddresses self = new LocalAddresses(c.sockets(), c.aliases());
        assertTrue(self.isMyself("[::1]", 5070, null));
        assertTrue(self.isMyself("0:0:0:0:0:0:0:1", 0, null));
        assertTrue(self.isMyself("sip.example.org", 5080, null));
        assertFalse(self.isMyself("sip.example.org", 5090, null));
    }

    @Test
    void badValuesNameTheirLine() {
        ScriptException e = assertThrows(ScriptException.class, () -> cfg(Map.of("listen", List.of("udp:127.0.0.1:99999"))));
        assertTrue(e.getMessage().startsWith("<inline>:0: "), e.getMessage());
        assertThrows(ScriptException.class, () -> cfg(Map.of("listen", List.of("tls:127.0.0.1:5061"))));
        assertThrows(ScriptException.class, () -> cfg(Map.of("listen", List.of("udp:no-such-host.invalid:5060"))));
        assertThrows(ScriptException.class, () -> cfg(Map.of("listen", List.of("udp:127.0.0.1"), "tcp_max_connections", List.of("many"))));
    }
}
