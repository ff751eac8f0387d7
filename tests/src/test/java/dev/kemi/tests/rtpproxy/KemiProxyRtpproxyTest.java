package dev.kemi.tests.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.ProxyUnderTest;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack: Kemi Proxy running a native kamailio.cfg that calls rtpproxy_offer/answer/
 * destroy, our rtpproxy module, and the built-in relay it starts (modparam "relay"); SIPp makes
 * the call. Skipped without sipp.
 */
class KemiProxyRtpproxyTest {

    @TempDir
    Path dir;

    private SippCall sipp;

    @AfterEach
    void cleanUp() {
        if (sipp != null) {
            sipp.close();
        }
    }

    @Test
    void callThroughKemiProxyUsesTheBuiltInRelay() throws Exception {
        assertTrue(SippCall.onPath("sipp"), "sipp not installed: ./kemi test installs it");
        int control = SippCall.freeUdpPort();
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(4900);
        String cfg = """
                listen=udp:127.0.0.1:{port}
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "pv.so"
                loadmodule "siputils.so"
                loadmodule "textops.so"
                loadmodule "rtpproxy.so"
                modparam("rtpproxy", "relay", "-l 127.0.0.2 -m BASE -M TOP -s udp:127.0.0.1:CONTROL")
                modparam("rtpproxy", "rtpproxy_sock", "udp:127.0.0.1:CONTROL")

                request_route {
                    if (has_totag()) {
                        if (loose_route()) {
                            if (is_method("BYE")) {
                                rtpproxy_destroy();
                            }
                            t_relay();
                        }
                        exit;
                    }
                    if (is_method("INVITE")) {
                        record_route();
                        rtpproxy_offer();
                        t_on_reply("MEDIA");
                    }
                    t_relay();
                }

                onreply_route[MEDIA] {
                    if (has_body("application/sdp")) {
                        rtpproxy_answer();
                    }
                }
                """.replace("BASE", Integer.toString(base)).replace("TOP", Integer.toString(base + 99))
                .replace("CONTROL", Integer.toString(control));
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cfg)) {
            sipp = new SippCall(dir);
            SippCall.Result call = sipp.run(proxy.port(), () -> "(this test's own output)");
            int offerPort = SippCall.mediaPort(call.calleeSdp());
            int answerPort = SippCall.mediaPort(call.callerSdp());
            assertTrue(offerPort >= base && offerPort <= base + 99, call.calleeSdp());
            assertTrue(answerPort >= base && answerPort <= base + 99 && answerPort != offerPort, call.callerSdp());
            assertTrue(call.calleeSdp().contains("c=IN IP4 127.0.0.2") && call.calleeSdp().contains("a=nortpproxy:yes"), call.calleeSdp());
            assertTrue(call.calleeSdp().contains("a=rtcp:" + (offerPort + 1)), call.calleeSdp());
            assertTrue(call.callerSdp().contains("c=IN IP4 127.0.0.2"), call.callerSdp());
            String info = SippCall.control(new InetSocketAddress("127.0.0.1", control), "I");
            assertTrue(info.contains("sessions created: 1\n") && info.contains("active sessions: 0\n"),
                    "one session, deleted by the BYE: " + info);
        }
    }
}
