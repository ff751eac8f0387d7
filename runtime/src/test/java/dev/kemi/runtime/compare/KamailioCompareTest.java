package dev.kemi.runtime.compare;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-sockets mode against Kamailio 5.6.3 itself (skipped when it is not installed): the
 * example native cfg and its Python KEMI port (scripts/scenarios/kamailio/) are started in turn on
 * one address, and compare finds and explains the two pitfalls the port kept.
 */
class KamailioCompareTest {
    private static final Path EXAMPLES = Fixtures.CORPUS.resolve("kamailio");

    @TempDir Path dir;

    private static Path kamailio() {
        for (String d : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin")) {
            Path k = Path.of(d, "kamailio");
            if (Files.isExecutable(k)) return k;
        }
        return null;
    }

    /** A port free for both UDP and TCP on 127.0.0.1. */
    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket t = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                try (DatagramSocket u = new DatagramSocket(new InetSocketAddress("127.0.0.1", t.getLocalPort()))) {
                    return t.getLocalPort();
                } catch (IOException busy) {
                    // taken for UDP: try another
                }
            }
        }
    }

    private Scenario scenario(String name, int alice, int bob) throws Exception {
        String yaml = Files.readString(Fixtures.CORPUS.resolve(name + ".yaml"))
                .replace("127.0.0.1:5071", "127.0.0.1:" + alice).replace("127.0.0.1:5072", "127.0.0.1:" + bob);
        return ScenarioLoader.parse(yaml, name + ".yaml", name);
    }

    /** Starts Kamailio with a cfg, plays the scenarios, stops it. */
    private List<CompareSession.Outcome> playOn(Path kamailio, ConfigSide side, int port, CompareSession session, int index, List<Scenario> scenarios)
            throws Exception {
        Process k = new ProcessBuilder(kamailio.toString(), "-f", side.cfg().toString(), "-DD", "-E", "-w", dir.toString(), "-Y", dir.toString(),
                "-m", "64", "-M", "16").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(side.cfg().getFileName() + ".log").toFile()).start();
        try {
            awaitTcp(port, k);
            return session.playAll(index, side, scenarios);
        } finally {
            k.destroy();
            if (!k.waitFor(10, TimeUnit.SECONDS)) {
                k.descendants().forEach(ProcessHandle::destroyForcibly);
                k.destroyForcibly().waitFor();
            }
        }
    }

    private static void awaitTcp(int port, Process k) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            assertTrue(k.isAlive(), "kamailio exited at start");
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("kamailio did not open its TCP socket");
    }

    @Test
    void nativeVersusPythonPortOfTheSameLogic() throws Exception {
        Path kamailio = kamailio();
        assertTrue(kamailio != null, "kamailio not installed: ./kemi test installs it");
        int port = freePort();
        for (String f : List.of("native.cfg", "python.cfg", "route.py")) {
            Files.writeString(dir.resolve(f), Files.readString(EXAMPLES.resolve(f)).replace("127.0.0.1:5080", "127.0.0.1:" + port));
        }
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        List<ConfigSide> sides = List.of(ConfigSide.real(at, dir.resolve("native.cfg")), ConfigSide.real(at, dir.resolve("python.cfg")));
        assertEquals(ConfigSide.Engine.PYTHON, sides.get(1).engine());
        int alice = freePort();
        int bob = freePort();
        List<Scenario> scenarios = List.of(scenario("basic-call", alice, bob), scenario("options-proxy", alice, bob),
                scenario("retransmission-loss", alice, bob));
        CompareSession session = new CompareSession(null, Explainer.standard());
        List<List<CompareSession.Outcome>> bySide = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) bySide.add(playOn(kamailio, sides.get(i), port, session, i, scenarios));
        CompareReport r = session.assemble(sides, scenarios, bySide);
        String text = TextReport.render(r);

        assertTrue(r.scenarios().get(0).identical(), text);

        ScenarioComparison.SideComparison options = r.scenarios().get(1).comparisons().get(0);
        assertNotNull(options.divergence(), text);
        assertEquals(-1, options.divergence().eventA(), "native forwarded the port-less OPTIONS (to 5060, unseen): " + text);
        assertEquals(List.of("myself-port"), options.explanations().stream().map(Explanation::rule).toList(), text);
        assertTrue(options.explanations().get(0).message().startsWith("`uri==myself` at native.cfg:33 assumes port 5060"), text);

        ScenarioComparison.SideComparison retrans = r.scenarios().get(2).comparisons().get(0);
        assertNotNull(retrans.divergence(), text);
        assertEquals(List.of(new Explanation("zero-return", "`t_check_trans()` returned 0 at route.py:31: native cfg exits here, KEMI goes on "
                + "(after alice's retransmitted INVITE); test the result with == 0 and return")), retrans.explanations(), text);
    }
}
