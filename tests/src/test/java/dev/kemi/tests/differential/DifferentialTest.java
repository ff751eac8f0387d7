package dev.kemi.tests.differential;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same cfg on Kamailio 5.6.3 and on Kemi Proxy, the same messages to both: what each sends
 * back to the client and forwards to the next hop must be the same, message by message, once
 * {@link Normaliser} has rewritten what legitimately differs. One table per area in
 * resources/differential (see {@link CaseFile}); one test per message. -Ddiff.only=PREFIX runs
 * the tables whose file name starts with it; -Ddiff.dump=true prints both sides of every case.
 */
class DifferentialTest {
    private static final Pattern UDP_LISTEN = Pattern.compile("(?m)^\\s*listen\\s*=\\s*udp:([0-9.]+):(\\d+)");

    @TestFactory
    Stream<DynamicNode> sameWireAsKamailio() throws IOException, URISyntaxException {
        assertTrue(Kamailio.installed(), "kamailio 5.6.3 is not installed here: ./kemi test installs it");
        Path dir = Path.of(DifferentialTest.class.getResource("/differential").toURI());
        String only = System.getProperty("diff.only", "");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt"))
                    .filter(p -> only.isEmpty() || p.getFileName().toString().startsWith(only))
                    .sorted(Comparator.naturalOrder()).toList();
        }
        return files.stream().map(f -> area(CaseFile.read(f)));
    }

    private static DynamicNode area(CaseFile table) {
        List<Outcome> outcomes;
        try {
            outcomes = run(table);
        } catch (ExpectedStartFailure e) {
            return DynamicTest.dynamicTest(table.area() + ": start", () -> assumeTrue(false, "differs as expected: " + e.getMessage()));
        } catch (RuntimeException e) {
            return DynamicTest.dynamicTest(table.area() + ": start", () -> { throw e; });
        }
        return DynamicContainer.dynamicContainer(table.area(), outcomes.stream().map(o -> DynamicTest.dynamicTest(
                table.area() + ": " + o.message().name(), () -> o.check())));
    }

    /** What each proxy did with one message, normalised. */
    private record Outcome(CaseFile.Message message, String kamailio, String ours) {
        void check() {
            if (Boolean.getBoolean("diff.dump")) System.out.println("### " + message.name() + "\n" + kamailio + "\n### ours\n" + ours);
            if (message.differs() == null) {
                assertEquals(kamailio, ours, message.name());
            } else if (kamailio.equals(ours)) {
                fail("now identical to Kamailio: drop the 'differs' line (" + message.differs() + ")");
            } else {
                assumeTrue(false, "differs as expected (" + message.differs() + "):\n--- kamailio\n" + kamailio + "\n--- ours\n" + ours);
            }
        }
    }

    private static List<Outcome> run(CaseFile table) {
        Path kdir = tempDir();
        try (Wire kw = new Wire(table.nextHost()); Wire ow = new Wire(table.nextHost())) {
            int kport = ProxyUnderTest.freePort();
            String kcfg = Placeholders.cfg(table.cfg(), kport, kw.next().address()).replace("{dir}", kdir.toString());
            Path kfile = kdir.resolve("kamailio.cfg");
            Files.writeString(kfile, kcfg);
            List<InetSocketAddress> udp = new ArrayList<>();
            Matcher m = UDP_LISTEN.matcher(kcfg);
            while (m.find()) udp.add(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
            kw.target(new InetSocketAddress(table.sendTo(), kport));
            try (Kamailio k = Kamailio.startBound(kfile, kdir, udp);
                    ProxyUnderTest ours = startOurs(table, ow)) {
                ow.target(new InetSocketAddress(table.sendTo(), ours.port()));
                List<Outcome> out = new ArrayList<>();
                Normaliser kn = new Normaliser(kport, kw.next().port(), kw.clientPorts());
                Normaliser on = new Normaliser(ours.port(), ow.next().port(), ow.clientPorts());
                int n = 0;
                for (CaseFile.Message msg : table.messages()) {
                    n++;
                    String callId = "diff-" + table.area() + "-" + n;
                    List<Wire.Event> ke = kw.exchange(msg, new Placeholders(kport, kw.next().address(), callId, n), 1);
                    List<Wire.Event> oe = ow.exchange(msg, new Placeholders(ours.port(), ow.next().address(), callId, n), ke.size());
                    out.add(new Outcome(msg, render(ke, kn), render(oe, on)));
                }
                return out;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(kdir);
        }
    }

    private static ProxyUnderTest startOurs(CaseFile table, Wire ow) {
        try {
            return ProxyUnderTest.start(table.cfg().replace("{next}", ow.next().address()));
        } catch (RuntimeException e) {
            if (table.startDiffers() == null) throw e;
            throw new ExpectedStartFailure(table.startDiffers() + ": " + e.getMessage());
        }
    }

    /** Our proxy refused a cfg the table says it is expected to refuse. */
    private static final class ExpectedStartFailure extends RuntimeException {
        ExpectedStartFailure(String message) {
            super(message);
        }
    }

    /** Per channel, in arrival order: the channels' relative order is a race, not a behaviour. */
    private static String render(List<Wire.Event> events, Normaliser n) {
        StringBuilder sb = new StringBuilder();
        for (String channel : List.of("client", "next")) {
            int i = 0;
            for (Wire.Event e : events) {
                if (!e.channel().equals(channel)) continue;
                sb.append("=== to ").append(channel).append(" #").append(i++).append('\n')
                        .append(n.normalise(e.text()).replace("\r\n", "\n"));
            }
        }
        return sb.length() == 0 ? "(nothing sent)" : sb.toString();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kemi-diff");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files: best effort
        }
    }
}
