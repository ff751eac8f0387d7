package dev.kemi.tests.protect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import dev.kemi.tests.SipClient;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.SipWire;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The anti-flood pattern of Kamailio's basic-kemi native cfg (WITH_ANTIFLOOD): pike flags a
 * flooding source, the script bans it in an htable whose items expire, and the banned source
 * is answered again once the ban has expired.
 */
class IpBanTest {
    private static final String FLOODER = "127.0.22.9", OTHER = "127.0.22.10";
    private static final int BURST = 40;
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() {
        proxy = ProxyUnderTest.start("""
                listen=udp:127.0.22.1:{port}
                loadmodule "sl.so"
                loadmodule "pike.so"
                loadmodule "htable.so"
                modparam("htable", "htable", "ipban=>size=8;autoexpire=2;")
                modparam("htable", "timer_interval", 1)
                modparam("pike", "sampling_time_unit", 2)
                modparam("pike", "reqs_density_per_unit", 16)
                modparam("pike", "remove_latency", 4)
                request_route {
                    if (src_ip != myself) {
                        if ($sht(ipban=>$si) != $null) {
                            exit;
                        }
                        if (!pike_check_req()) {
                            $sht(ipban=>$si) = 1;
                            exit;
                        }
                    }
                    sl_send_reply("200", "OK");
                }
                """);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static String options(SipClient c, String callId) {
        return SipRequests.request("OPTIONS", "sip:127.0.22.1:" + proxy.port(), c, callId);
    }

    /** Whether one OPTIONS from c is answered (200) within the time. */
    private static boolean answered(SipClient c, Duration within) {
        String callId = SipRequests.callId();
        c.send(options(c, callId));
        for (String m; (m = c.receive(within)) != null; ) {
            SipWire r = SipWire.parse(m);
            if (callId.equals(r.header("Call-ID"))) return r.status() == 200;
        }
        return false;
    }

    @Test
    void floodingSourceIsBannedUntilTheBanExpires() {
        try (SipClient flooder = proxy.udpClientFrom(FLOODER); SipClient other = proxy.udpClientFrom(OTHER)) {
            assertTrue(answered(flooder, Duration.ofSeconds(5)), "a first request is answered");
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < BURST; i++) {
                String callId = SipRequests.callId();
                sent.add(callId);
                flooder.send(options(flooder, callId));
            }
            int replies = 0;
            for (String m; (m = flooder.receive(Duration.ofMillis(1500))) != null; ) {
                if (sent.contains(SipWire.parse(m).header("Call-ID"))) replies++;
            }
            assertTrue(replies > 0 && replies < BURST, "part of the burst is answered, then it stops: " + replies + " of " + BURST);
            assertTrue(!answered(flooder, Duration.ofMillis(500)), "the flooder is banned");
            assertTrue(answered(other, Duration.ofSeconds(5)), "another source is still answered");

            // the ban item expires after 2 s and pike cools down: poll with a deadline
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean back = false;
            while (!back && System.nanoTime() < deadline) back = answered(flooder, Duration.ofMillis(300));
            assertTrue(back, "the flooder is answered again after the ban expired");
        }
    }
}
