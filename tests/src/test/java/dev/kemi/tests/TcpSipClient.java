package dev.kemi.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One TCP connection to the proxy; received messages are cut by Content-Length. */
public final class TcpSipClient implements SipClient {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:content-length|l)[ \\t]*:[ \\t]*(\\d+)");
    private final Socket socket;
    private final String transport;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Over a connected socket (a TLS one: transport "TLS"). */
    public TcpSipClient(Socket socket, String transport) {
        this.socket = socket;
        this.transport = transport;
    }

    TcpSipClient(InetSocketAddress proxy) {
        try {
            socket = new Socket(proxy.getAddress(), proxy.getPort());
            socket.setTcpNoDelay(true);
            transport = "TCP";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public String localHost() {
        return socket.getLocalAddress().getHostAddress();
    }

    @Override
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void sendBytes(byte[] data) {
        try {
            socket.getOutputStream().write(data);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                String m = takeMessage();
                if (m != null) return m;
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return null;
                socket.setSoTimeout((int) left);
                int n = in.read(buf);
                if (n < 0) return null;
                pending.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True once the proxy closed the connection (waits up to the timeout). */
    public boolean closedByPeer(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String takeMessage() {
        String s = pending.toString(StandardCharsets.ISO_8859_1);
        String trimmed = s.stripLeading();
        int end = trimmed.indexOf("\r\n\r\n");
        if (end < 0) return null;
        Matcher m = CONTENT_LENGTH.matcher(trimmed.substring(0, end));
        int body = m.find() ? Integer.parseInt(m.group(1)) : 0;
        int total = end + 4 + body;
        byte[] all = trimmed.getBytes(StandardCharsets.ISO_8859_1);
        if (all.length < total) return null;
        pending.reset();
        pending.write(all, total, all.length - total);
        return new String(all, 0, total, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
