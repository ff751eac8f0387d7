package dev.kemi.tests.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Wraps each TCP connection of a SIPp in a TLS connection of its own (one handshake per
 * connection, as `sipp -t ln` would do): Debian 12's SIPp is built without OpenSSL, so `-t ln`
 * exits with "you must compile SIPp with OpenSSL"; SIPp runs `-t tn` behind this instead. Two
 * virtual threads per connection copy the bytes; closing one side closes the other.
 */
final class TlsTunnel implements AutoCloseable {
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private interface Dial {
        Socket open() throws IOException;
    }

    private TlsTunnel(ServerSocket server, Dial dial) {
        this.server = server;
        Thread.ofVirtual().name("tls-tunnel-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Thread.ofVirtual().start(() -> connect(in, dial));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** TCP on {@code listen} to TLS at {@code to}, from {@code listen}'s address, presenting the context's certificate. */
    static TlsTunnel client(InetSocketAddress listen, InetSocketAddress to, SSLContext ctx) {
        return new TlsTunnel(bind(listen), () -> {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
            s.bind(new InetSocketAddress(listen.getAddress(), 0));
            s.connect(to, 5000);
            s.startHandshake();
            return s;
        });
    }

    /** TLS on {@code listen} (presenting the context's certificate) to TCP at {@code to}. */
    static TlsTunnel server(InetSocketAddress listen, InetSocketAddress to, SSLContext ctx) {
        try {
            SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
            return new TlsTunnel(bind(ss, listen), () -> {
                Socket s = new Socket();
                s.connect(to, 5000);
                return s;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSocket bind(InetSocketAddress at) {
        try {
            return bind(new ServerSocket(), at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSocket bind(ServerSocket s, InetSocketAddress at) {
        try {
            s.setReuseAddress(true);
            s.bind(at, 1024);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void connect(Socket in, Dial dial) {
        open.add(in);
        Socket out;
        try {
            if (in instanceof SSLSocket tls) tls.startHandshake();
            out = dial.open();
        } catch (IOException e) {
            close(in);
            return;
        }
        open.add(out);
        Thread.ofVirtual().start(() -> pump(out, in));
        pump(in, out);
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            for (int n; (n = i.read(buf)) > 0; ) {
                o.write(buf, 0, n);
                o.flush();
            }
        } catch (IOException closed) {
            // either side went away: both close below
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) close(s);
    }
}
