package dev.kemi.tests.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's baresip phone driven through its ctrl_tcp module (netstring-framed JSON), for tests:
 * one account, SIP and RTP on one loopback address, a 440 Hz sine as microphone and no sound
 * card (the aubridge player).
 * <pre>{@code
 * try (Baresip alice = Baresip.start(dir, "127.0.15.10", 5070, "sip:alice@127.0.15.1", "alice-pw", "")) {
 *     alice.awaitEvent("REGISTER_OK", Duration.ofSeconds(10));
 *     alice.dial("sip:bob@127.0.15.1");
 *     alice.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(10));
 *     alice.awaitMediaBothWays(Duration.ofSeconds(20)); // RTCP: RTP sent and received
 *     alice.hangup();
 * }
 * }</pre>
 * Events (REGISTER_OK, REGISTER_FAIL, CALL_INCOMING, CALL_RINGING, CALL_ESTABLISHED, CALL_CLOSED
 * ...) are kept in arrival order; {@link #events()} lists them, {@link #awaitEvent} waits for one.
 */
public final class Baresip implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/baresip");
    public static final Path MODULES = Path.of("/usr/lib/baresip/modules");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final Socket ctrl;
    private final OutputStream out;
    private final BlockingQueue<JsonNode> responses = new LinkedBlockingQueue<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private final Thread reader;

    private Baresip(Process process, Path log, Socket ctrl) throws IOException {
        this.process = process;
        this.log = log;
        this.ctrl = ctrl;
        this.out = ctrl.getOutputStream();
        InputStream in = ctrl.getInputStream();
        this.reader = new Thread(() -> readLoop(in), "baresip-ctrl-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isRegularFile(MODULES.resolve("ctrl_tcp.so"));
    }

    /**
     * Starts baresip with its config in {@code dir} (created), SIP and RTP on {@code ip}:{@code sipPort},
     * ctrl_tcp on a free port of {@code ip}, and one account {@code aor} ("sip:alice@127.0.15.1")
     * (added with "uanew" once connected, so it registers then) with password and extra account parameters (e.g. ";answermode=auto", ";outbound=\"sip:127.0.15.1\"";
     * regint=60 unless given). Returns once ctrl_tcp accepts.
     */
    public static Baresip start(Path dir, String ip, int sipPort, String aor, String password, String accountParams) {
        return start(dir, ip, sipPort, aor, password, accountParams, List.of());
    }

    /** As above, with more config lines (e.g. "sip_cafile /path/ca.pem" for TLS, which baresip listens on at sipPort + 1). */
    public static Baresip start(Path dir, String ip, int sipPort, String aor, String password, String accountParams, List<String> config) {
        try {
            Files.createDirectories(dir);
            int ctrlPort = freeTcpPort(ip);
            List<String> lines = List.of(
                    "poll_method epoll",
                    "sip_listen " + ip + ":" + sipPort,
                    "net_interface " + ip,
                    "module_path " + MODULES,
                    "module g711.so",
                    "module ausine.so",
                    "module aubridge.so",
                    "module_app account.so",
                    "module_app menu.so",
                    "module_app ctrl_tcp.so",
                    "ctrl_tcp_listen " + ip + ":" + ctrlPort,
                    "audio_source ausine,440",
                    "ausrc_srate 48000", // ausine makes 48 kHz stereo only; baresip converts for the codec
                    "ausrc_channels 2",
                    "audio_player aubridge,speaker",
                    "audio_alert aubridge,alert",
                    "rtp_ports 40000-49999");
            List<String> all = new ArrayList<>(lines);
            all.addAll(config);
            all.add("");
            Files.writeString(dir.resolve("config"), String.join("\n", all));
            // the account is added once ctrl_tcp is connected, so its REGISTER events are seen
            Files.writeString(dir.resolve("accounts"), "");
            Path log = dir.resolve("baresip.log");
            Process p = new ProcessBuilder(BINARY.toString(), "-f", dir.toString(), "-v")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(ip, ctrlPort), 1000);
                    Baresip b = new Baresip(p, log, s);
                    String params = accountParams.contains("regint=") ? accountParams : accountParams + ";regint=60";
                    b.command("uanew", "<" + aor + ">;auth_pass=" + password + params);
                    return b;
                } catch (IOException notYet) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        throw new IllegalStateException("baresip did not open ctrl_tcp on " + ip + ":" + ctrlPort + ": " + Files.readString(log));
                    }
                    Thread.sleep(50); // polling another process's listen socket: nothing to await
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freeTcpPort(String ip) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
            return s.getLocalPort();
        }
    }

    /** Runs a menu command ("dial", "hangup", "accept", "reginfo", "callstat", "listcalls" ...); its text output. */
    public String command(String command, String params) {
        String token = command + "-" + tokens.incrementAndGet();
        try {
            write(command, params, token);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                JsonNode r = responses.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) throw new AssertionError("baresip: no response to " + command + ": " + log());
                if (!token.equals(r.path("token").asText())) continue;
                if (!r.path("ok").asBoolean()) throw new AssertionError("baresip: " + command + " " + params + " failed: " + r);
                return r.path("data").asText("");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void write(String command, String params, String token) throws IOException {
        ObjectNode req = JSON.createObjectNode().put("command", command).put("params", params).put("token", token);
        byte[] body = req.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write(',');
            out.flush();
        }
    }

    public void dial(String uri) {
        command("dial", uri);
    }

    public void hangup() {
        command("hangup", "");
    }

    public void accept() {
        command("accept", "");
    }

    /** Registration state as baresip prints it ("reginfo"). */
    public String registrationInfo() {
        return command("reginfo", "");
    }

    /** Status of the current call, RTP counters included ("callstat"). */
    public String callStatus() {
        return command("callstat", "");
    }

    /** Every event so far, in order ({"type": "REGISTER_OK", "param": "200 OK", "peeruri": ...}). */
    public synchronized List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** The event types so far, in order. */
    public List<String> eventTypes() {
        return events().stream().map(e -> e.path("type").asText()).toList();
    }

    /** Waits for the first event of that type (also one that came already); fails after the timeout. */
    public JsonNode awaitEvent(String type, Duration timeout) {
        return awaitEvent(e -> type.equals(e.path("type").asText()), type, timeout);
    }

    public synchronized JsonNode awaitEvent(Predicate<JsonNode> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode e : events) if (match.test(e)) return e;
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("baresip: no " + what + " within " + timeout + "; events " + eventTypes() + "\n" + log());
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Waits for an RTCP report of the call showing RTP both ways: packets sent by this phone
     * (rtcp_stats.tx.sent) and received from the peer (rtcp_stats.rx.sent). baresip reports
     * every few seconds.
     */
    public JsonNode awaitMediaBothWays(Duration timeout) {
        return awaitEvent(e -> "CALL_RTCP".equals(e.path("type").asText())
                && e.path("rtcp_stats").path("tx").path("sent").asLong() > 0
                && e.path("rtcp_stats").path("rx").path("sent").asLong() > 0, "RTCP report with RTP both ways", timeout);
    }

    private void readLoop(InputStream in) {
        try {
            while (true) {
                ByteArrayOutputStream len = new ByteArrayOutputStream();
                int c;
                while ((c = in.read()) != ':') {
                    if (c < 0) return;
                    len.write(c);
                }
                int n = Integer.parseInt(len.toString(StandardCharsets.US_ASCII).trim());
                byte[] body = in.readNBytes(n);
                if (in.read() != ',') return; // broken framing: stop reading
                JsonNode msg = JSON.readTree(body);
                if (msg.path("event").asBoolean()) {
                    synchronized (this) {
                        events.add(msg);
                        notifyAll();
                    }
                } else {
                    responses.add(msg);
                }
            }
        } catch (IOException | RuntimeException e) {
            // socket closed with the process
        }
    }

    /** The end of baresip's log, for failure messages. */
    public String log() {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) write("quit", "", "quit"); // it may exit before answering
        } catch (IOException e) {
            // it is stopped below anyway
        }
        try {
            ctrl.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
