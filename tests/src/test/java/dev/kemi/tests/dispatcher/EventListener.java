package dev.kemi.tests.dispatcher;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Collects the datagrams the cfg's dispatcher event routes send (send_data), in arrival order. */
final class EventListener implements AutoCloseable {
    private final DatagramSocket socket;
    private final List<String> received = new ArrayList<>();
    private final Thread reader;

    EventListener(InetSocketAddress at) throws SocketException {
        socket = new DatagramSocket(at);
        reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException closed) {
                return;
            }
            synchronized (received) {
                received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                received.notifyAll();
            }
        }
    }

    /** What arrived once there are {@code n} datagrams, or after 10 s. */
    List<String> await(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (received) {
            while (received.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                TimeUnit.NANOSECONDS.timedWait(received, left);
            }
            return List.copyOf(received);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join(2000);
    }
}
