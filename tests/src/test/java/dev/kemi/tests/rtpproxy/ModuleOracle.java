package dev.kemi.tests.rtpproxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.transport.ReceiveInfo;
import dev.kemi.runtime.modules.rtpproxy.RtpproxyModule;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.transport.ListenSocket;
import dev.kemi.runtime.transport.Protocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntBiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our rtpproxy module fed with the messages Kamailio received (from SIPp's traces), talking to a
 * relay that answers U and L exactly as the real relay answered Kamailio: what our module sends
 * and the SDP it produces can then be compared with Kamailio's.
 */
final class ModuleOracle implements AutoCloseable {

    record Result(int returned, String command, String message) { }

    private final DatagramSocket relay;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final RtpproxyModule module = new RtpproxyModule();

    ModuleOracle(String updateReply, String lookupReply) throws IOException {
        relay = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofPlatform().daemon().name("oracle-relay").start(() -> serve(updateReply, lookupReply));
        module.rtpproxySock("udp:127.0.0.1:" + relay.getLocalPort());
        module.init(null);
    }

    /**
     * Runs {@code function} on the first message in {@code trace} starting with {@code start}, as if
     * it had come from 127.0.0.1:{@code sourcePort} to the proxy at 127.0.0.1:{@code proxyPort}.
     */
    Result run(String trace, String start, int sourcePort, int proxyPort,
               ToIntBiFunction<RtpproxyModule, MessageContext> function) throws Exception {
        Matcher m = Pattern.compile("(" + Pattern.quote(start) + ".*?\\r?\\n\\r?\\n)", Pattern.DOTALL).matcher(trace);
        assertTrue(m.find(), trace);
        String head = m.group(1).replaceAll("\\r?\\n", "\r\n");
        Matcher cl = Pattern.compile("Content-Length: *(\\d+)").matcher(head);
        assertTrue(cl.find(), head);
        String rest = trace.substring(m.end()).replaceAll("\\r?\\n", "\r\n");
        String text = head + rest.substring(0, Integer.parseInt(cl.group(1)));
        SipMessage msg = SipMessage.parse(text.getBytes(StandardCharsets.ISO_8859_1));
        ListenSocket socket = new ListenSocket(Protocol.UDP, new InetSocketAddress("127.0.0.1", proxyPort), null, 0, null);
        MessageContext ctx = new MessageContext(msg,
                new ReceiveInfo(new InetSocketAddress("127.0.0.1", sourcePort), socket), null);
        int before = seen.size();
        int returned = function.applyAsInt(module, ctx);
        String command = seen.subList(before, seen.size()).stream().filter(c -> !c.startsWith("V"))
                .findFirst().orElse(null);
        return new Result(returned, command, new String(msg.toBytes(), StandardCharsets.ISO_8859_1));
    }

    private void serve(String updateReply, String lookupReply) {
        byte[] buf = new byte[2048];
        while (!relay.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                relay.receive(p);
                String text = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                String cookie = text.substring(0, text.indexOf(' '));
                String command = text.substring(cookie.length() + 1);
                seen.add(command);
                // the capabilities our relay announces
                String answer = command.equals("V") ? "20040107"
                        : command.startsWith("VF ") ? (command.endsWith("20071116") ? "0" : "1")
                        : command.startsWith("U") ? updateReply
                        : command.startsWith("L") ? lookupReply : "0";
                byte[] out = (cookie + " " + answer + "\n").getBytes(StandardCharsets.US_ASCII);
                relay.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        relay.close();
    }
}
