package dev.kemi.runtime.modules.rtpproxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A fake relay on UDP that records commands (cookie removed) and answers from a script. */
final class ScriptedRelay implements AutoCloseable {

    final DatagramSocket socket;
    final List<String> commands = new CopyOnWriteArrayList<>();
    volatile Function<String, String> answer = c -> "E0";
    volatile Set<String> features = Set.of("20050322", "20081102");
    volatile boolean silent;

    ScriptedRelay() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofPlatform().daemon().name("scripted-relay").start(this::serve);
    }

    String url() {
        return "udp:127.0.0.1:" + socket.getLocalPort();
    }

    /** Commands other than the V/VF handshake. */
    List<String> calls() {
        return commands.stream().filter(c -> !c.equals("V") && !c.startsWith("VF ")).toList();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                String text = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                int space = text.indexOf(' ');
                String cookie = text.substring(0, space);
                String command = text.substring(space + 1);
                commands.add(command);
                if (silent) {
                    continue;
                }
                String reply;
                if (command.equals("V")) {
                    reply = "20040107";
                } else if (command.startsWith("VF ")) {
                    reply = features.contains(command.substring(3)) ? "1" : "0";
                } else {
                    reply = answer.apply(command);
                }
                byte[] out = (cookie + " " + reply + "\n").getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
