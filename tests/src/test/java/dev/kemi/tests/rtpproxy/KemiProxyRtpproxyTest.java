package dev.kemi.tests.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void callThroughKemiProxyUsesTheBuiltInRelay() throws Exception {
        assumeTrue(KamailioRtpproxyInteropTest.onPath("sipp"), "sipp not installed");
        int control = KamailioRtpproxyInteropTest.freeUdpPort();
        int base = 40000 + 2 * ThreadLocalRandom.current().nextInt(9000);
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
            int uasPort = KamailioRtpproxyInteropTest.freeUdpPort();
            Path uasXml = dir.resolve("uas.xml");
            Path uacXml = dir.resolve("uac.xml");
            Files.writeString(uasXml, KamailioRtpproxyInteropTest.UAS);
            Files.writeString(uacXml, KamailioRtpproxyInteropTest.UAC.replace("UAS_PORT", Integer.toString(uasPort)));
            Path uasTrace = dir.resolve("uas_messages.log");
            Path uacTrace = dir.resolve("uac_messages.log");
            Process uas = sipp("-sf", uasXml.toString(), "-i", "127.0.0.1", "-p", Integer.toString(uasPort),
                    "-m", "1", "-trace_msg", "-message_file", uasTrace.toString());
            Process uac = sipp("-sf", uacXml.toString(), "127.0.0.1:" + proxy.port(), "-i", "127.0.0.1",
                    "-p", Integer.toString(KamailioRtpproxyInteropTest.freeUdpPort()), "-m", "1",
                    "-trace_msg", "-message_file", uacTrace.toString());
            assertTrue(uac.waitFor(40, TimeUnit.SECONDS), "uac finished");
            assertEquals(0, uac.exitValue(), "the call succeeded end to end");
            assertTrue(uas.waitFor(20, TimeUnit.SECONDS), "uas finished");
            assertEquals(0, uas.exitValue());

            String calleeSdp = KamailioRtpproxyInteropTest.mediaSection(Files.readString(uasTrace), 30000);
            String callerSdp = KamailioRtpproxyInteropTest.mediaSection(Files.readString(uacTrace), 20000);
            int offerPort = port(calleeSdp);
            int answerPort = port(callerSdp);
            assertTrue(offerPort >= base && offerPort <= base + 99, calleeSdp);
            assertTrue(answerPort >= base && answerPort <= base + 99 && answerPort != offerPort, callerSdp);
            assertTrue(calleeSdp.contains("c=IN IP4 127.0.0.2") && calleeSdp.contains("a=nortpproxy:yes"), calleeSdp);
            assertTrue(calleeSdp.contains("a=rtcp:" + (offerPort + 1)), calleeSdp);
            assertTrue(callerSdp.contains("c=IN IP4 127.0.0.2"), callerSdp);
            String info = command(control, "I");
            assertTrue(info.contains("sessions created: 1\n") && info.contains("active sessions: 0\n"),
                    "one session, deleted by the BYE: " + info);
        }
    }

    private static int port(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        assertTrue(m.find(), sdp);
        return Integer.parseInt(m.group(1));
    }

    private static String command(int port, String command) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(2000);
            byte[] b = ("q1 " + command).getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
            byte[] buf = new byte[1024];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return new String(buf, 3, p.getLength() - 3, StandardCharsets.US_ASCII);
        }
    }

    private Process sipp(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sipp", "-nostdin", "-timeout", "30s", "-timeout_error",
                "-cp", Integer.toString(KamailioRtpproxyInteropTest.freeUdpPort()),
                "-mp", Integer.toString(KamailioRtpproxyInteropTest.freeUdpPort() & ~1)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp-" + processes.size() + ".log").toFile()).start();
        processes.add(p);
        return p;
    }
}
