package dev.kemi.tests.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the rtpproxy tests share: one SIPp call with an SDP offer and answer through a
 * record-routing proxy (INVITE/200/ACK/BYE), the processes it starts (stopped on close, with
 * their children), free ports, and queries to a relay's UDP control socket.
 */
final class SippCall implements AutoCloseable {

    /** The m= port of the caller's offer and of the callee's answer, as the UAs send them. */
    static final int CALLER_MEDIA = 20000;
    static final int CALLEE_MEDIA = 30000;

    /**
     * The SDPs each UA received, their message traces, and the UAs' SIP ports.
     *
     * @param calleeSdp the offer as the callee got it; {@code callerSdp} the answer as the caller got it
     */
    record Result(String calleeSdp, String callerSdp, String uacTrace, String uasTrace, int uacPort, int uasPort) { }

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    /** @param dir where scenario files, traces and logs go */
    SippCall(Path dir) {
        this.dir = dir;
    }

    /**
     * Places one call through the proxy at 127.0.0.1:{@code proxyPort} and waits for both UAs;
     * {@code log} adds the proxy's log to a failure.
     */
    Result run(int proxyPort, Supplier<String> log) throws Exception {
        int uasPort = freeUdpPort();
        int uacPort = freeUdpPort();
        Path uasXml = Files.writeString(dir.resolve("uas.xml"), UAS);
        Path uacXml = Files.writeString(dir.resolve("uac.xml"), UAC.replace("UAS_PORT", Integer.toString(uasPort)));
        Path uasTrace = dir.resolve("uas_messages.log");
        Path uacTrace = dir.resolve("uac_messages.log");
        Process uas = sipp("-sf", uasXml.toString(), "-i", "127.0.0.1", "-p", Integer.toString(uasPort),
                "-m", "1", "-trace_msg", "-message_file", uasTrace.toString());
        Process uac = sipp("-sf", uacXml.toString(), "127.0.0.1:" + proxyPort, "-i", "127.0.0.1",
                "-p", Integer.toString(uacPort), "-m", "1", "-trace_msg", "-message_file", uacTrace.toString());
        assertTrue(uac.waitFor(40, TimeUnit.SECONDS), "uac finished");
        assertEquals(0, uac.exitValue(), () -> "the call succeeded end to end; proxy log:\n" + log.get());
        assertTrue(uas.waitFor(20, TimeUnit.SECONDS), "uas finished");
        assertEquals(0, uas.exitValue(), "uas saw the whole call");
        String uasText = Files.readString(uasTrace);
        String uacText = Files.readString(uacTrace);
        return new Result(mediaSection(uasText, CALLEE_MEDIA), mediaSection(uacText, CALLER_MEDIA), uacText, uasText, uacPort, uasPort);
    }

    /** Starts a process with its output in {@code logName} (in the directory), stopped on close. */
    Process start(List<String> command, String logName) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile()).start();
        processes.add(p);
        return p;
    }

    private Process sipp(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sipp", "-nostdin", "-timeout", "30s", "-timeout_error",
                "-cp", Integer.toString(freeUdpPort()), "-mp", Integer.toString(freeUdpPort() & ~1)));
        cmd.addAll(List.of(args));
        return start(cmd, "sipp-" + processes.size() + ".log");
    }

    /** A file of the directory, or why it cannot be read. */
    String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The received SDP (from a message trace) whose m= port is not the local UA's own. */
    static String mediaSection(String trace, int ownPort) {
        Matcher m = Pattern.compile("v=0\\r?\\n(?:[a-z]=.*\\r?\\n?)+").matcher(trace);
        while (m.find()) {
            if (!m.group().contains("m=audio " + ownPort + " ")) {
                return m.group();
            }
        }
        throw new AssertionError("no relayed SDP in trace:\n" + trace);
    }

    /** The m= audio port of an SDP. */
    static int mediaPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        assertTrue(m.find(), sdp);
        return Integer.parseInt(m.group(1));
    }

    /** One command to a relay's UDP control socket; the reply without its cookie, newline-terminated. */
    static String control(InetSocketAddress relay, String command) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(2000);
            byte[] b = ("t1 " + command).getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, relay));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return ControlTap.stripCookie(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII)) + "\n";
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    static final String UAC = """
            <?xml version="1.0" encoding="ISO-8859-1" ?>
            <scenario name="uac through a record-routing proxy">
              <send retrans="500">
                <![CDATA[

                  INVITE sip:callee@127.0.0.1:UAS_PORT SIP/2.0
                  Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                  From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                  To: <sip:callee@127.0.0.1:UAS_PORT>
                  Call-ID: [call_id]
                  CSeq: 1 INVITE
                  Contact: <sip:sipp@[local_ip]:[local_port]>
                  Max-Forwards: 70
                  Content-Type: application/sdp
                  Content-Length: [len]

                  v=0
                  o=caller 53655765 2353687637 IN IP4 127.0.0.1
                  s=-
                  c=IN IP4 127.0.0.1
                  t=0 0
                  m=audio 20000 RTP/AVP 0 8 101
                  a=rtpmap:0 PCMU/8000
                  a=rtcp:20001

                ]]>
              </send>
              <recv response="100" optional="true"/>
              <recv response="180" optional="true"/>
              <recv response="200" rrs="true"/>
              <send>
                <![CDATA[

                  ACK [next_url] SIP/2.0
                  Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                  From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                  To: <sip:callee@127.0.0.1:UAS_PORT>[peer_tag_param]
                  Call-ID: [call_id]
                  CSeq: 1 ACK
                  [routes]
                  Max-Forwards: 70
                  Content-Length: 0

                ]]>
              </send>
              <pause milliseconds="200"/>
              <send retrans="500">
                <![CDATA[

                  BYE [next_url] SIP/2.0
                  Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                  From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                  To: <sip:callee@127.0.0.1:UAS_PORT>[peer_tag_param]
                  Call-ID: [call_id]
                  CSeq: 2 BYE
                  [routes]
                  Max-Forwards: 70
                  Content-Length: 0

                ]]>
              </send>
              <recv response="200"/>
            </scenario>
            """;

    static final String UAS = """
            <?xml version="1.0" encoding="ISO-8859-1" ?>
            <scenario name="uas behind a record-routing proxy">
              <recv request="INVITE"/>
              <send>
                <![CDATA[

                  SIP/2.0 200 OK
                  [last_Via:]
                  [last_From:]
                  [last_To:];tag=[pid]SIPpTag01[call_number]
                  [last_Call-ID:]
                  [last_CSeq:]
                  [last_Record-Route:]
                  Contact: <sip:[local_ip]:[local_port];transport=[transport]>
                  Content-Type: application/sdp
                  Content-Length: [len]

                  v=0
                  o=callee 53655765 2353687637 IN IP4 127.0.0.1
                  s=-
                  c=IN IP4 127.0.0.1
                  t=0 0
                  m=audio 30000 RTP/AVP 0
                  a=rtpmap:0 PCMU/8000

                ]]>
              </send>
              <recv request="ACK"/>
              <recv request="BYE"/>
              <send>
                <![CDATA[

                  SIP/2.0 200 OK
                  [last_Via:]
                  [last_From:]
                  [last_To:]
                  [last_Call-ID:]
                  [last_CSeq:]
                  Content-Length: 0

                ]]>
              </send>
            </scenario>
            """;
}
