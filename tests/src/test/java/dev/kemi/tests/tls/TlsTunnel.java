package dev.kemi.tests.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * socat wrapping each TCP connection of a SIPp in a TLS connection of its own (one handshake per
 * connection, as `sipp -t ln` would do): Debian 12's SIPp is built without OpenSSL, so `-t ln`
 * exits with "you must compile SIPp with OpenSSL"; SIPp runs `-t tn` behind this instead.
 */
final class TlsTunnel implements AutoCloseable {
    static final Path SOCAT = Path.of("/usr/bin/socat");
    private final Process process;
    private final Path log;

    private TlsTunnel(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static boolean installed() {
        return Files.isExecutable(SOCAT);
    }

    /** TCP on {@code listen} to TLS at {@code to}, from {@code listen}'s address, presenting {@code cert}. */
    static TlsTunnel client(InetSocketAddress listen, InetSocketAddress to, TestCerts.Issued cert, Path log) {
        String ip = listen.getAddress().getHostAddress();
        return start(log, listen, "TCP-LISTEN:" + listen.getPort() + ",bind=" + ip + ",reuseaddr,fork,backlog=512",
                "OPENSSL:" + to.getAddress().getHostAddress() + ":" + to.getPort() + ",bind=" + ip + ",cert=" + cert.certFile()
                        + ",key=" + cert.keyFile() + ",verify=0");
    }

    /** TLS on {@code listen} (presenting {@code cert}) to TCP at {@code to}. */
    static TlsTunnel server(InetSocketAddress listen, InetSocketAddress to, TestCerts.Issued cert, Path log) {
        return start(log, listen, "OPENSSL-LISTEN:" + listen.getPort() + ",bind=" + listen.getAddress().getHostAddress()
                        + ",reuseaddr,fork,backlog=512,cert=" + cert.certFile() + ",key=" + cert.keyFile() + ",verify=0",
                "TCP:" + to.getAddress().getHostAddress() + ":" + to.getPort());
    }

    private static TlsTunnel start(Path log, InetSocketAddress listen, String from, String to) {
        try {
            Process p = new ProcessBuilder(List.of(SOCAT.toString(), "-T", "60", from, to))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TlsTunnel t = new TlsTunnel(p, log);
            t.awaitListening(listen);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening(InetSocketAddress a) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // a probe connection costs the tunnel one fork: the TLS side sees a connection that closes at once
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(a, 1000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("socat did not listen on " + a + ": " + Files.readString(log));
                }
                try {
                    Thread.sleep(50); // another process's listen socket: nothing to await on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
