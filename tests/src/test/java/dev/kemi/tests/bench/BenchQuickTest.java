package dev.kemi.tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bench/run --quick} so the benchmark harness can't silently rot: it must write the
 * table and the chart, with a number in every cell of Kemi Proxy and Kamailio, and leave no
 * process behind. How good the numbers are is not judged here.
 */
class BenchQuickTest {
    private static final Path ROOT = Path.of(System.getProperty("kemi.root", "..")).toAbsolutePath().normalize();
    /** --quick takes under 2 minutes; past this the run is stuck, not slow. */
    private static final long LIMIT_SECONDS = 170;
    /** A measured value ("0.523", "1200", "3 (1x ...)") or a measure that does not apply ("n/a"). */
    private static final Pattern VALUE = Pattern.compile("\\d.*|n/a");

    @TempDir
    Path out;

    @Test
    void quickRunFillsTheTableAndDrawsTheChart() throws Exception {
        for (String tool : List.of("/usr/bin/sipp", "/usr/sbin/kamailio", "/usr/bin/gnuplot", "/usr/bin/python3", "/usr/bin/tcpdump")) {
            assertTrue(Files.isExecutable(Path.of(tool)), tool + " not installed: ./kemi test installs it");
        }
        Path log = out.resolve("bench.log");
        Process run = new ProcessBuilder(ROOT.resolve("bench/run").toString(), "--quick", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Set<ProcessHandle> started = new HashSet<>();
        boolean finished = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
            while (!finished && System.nanoTime() < deadline) {
                run.descendants().forEach(started::add);  // the proxies and SIPp it starts, to check on later
                finished = run.waitFor(500, TimeUnit.MILLISECONDS);
            }
        } finally {
            if (!finished) stop(run, started);
        }
        String output = Files.readString(log);
        assertTrue(finished, "bench/run --quick still running after " + LIMIT_SECONDS + " s:\n" + output);
        assertEquals(0, run.exitValue(), output);
        assertEquals(List.of(), leftRunning(started), "processes of the run still running");

        Path md = only(out, "-quick.md");
        List<String> rows = tableRows(Files.readAllLines(md));
        assertFalse(rows.isEmpty(), "no table in " + md);
        for (String row : rows) {
            String[] cells = row.split("\\|");
            assertTrue(VALUE.matcher(cells[2].trim()).matches(), "Kemi Proxy cell of: " + row);
            assertTrue(VALUE.matcher(cells[3].trim()).matches(), "Kamailio cell of: " + row);
        }
        byte[] png = Files.readAllBytes(only(out, "-quick.png"));
        assertTrue(png.length > 1000 && new String(png, 1, 3, StandardCharsets.ISO_8859_1).equals("PNG"), "not a PNG chart");
        assertTrue(output.contains("| max calls/s, 0 failed |"), "README table not printed:\n" + output);
    }

    /** The measure rows of every "| measure | Kemi Proxy | Kamailio | ratio |" table. */
    private static List<String> tableRows(List<String> lines) {
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("| measure | Kemi Proxy | Kamailio |")) {
                inTable = true;
            } else if (!line.startsWith("|")) {
                inTable = false;
            } else if (inTable && !line.startsWith("|---")) {
                rows.add(line);
            }
        }
        return rows;
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), "files *" + suffix + " in " + dir);
            return found.getFirst();
        }
    }

    /** TERM first: bench/run then stops its proxies and SIPp itself; KILL whatever is left. */
    private static void stop(Process run, Set<ProcessHandle> started) throws InterruptedException {
        run.descendants().forEach(started::add);
        run.destroy();
        run.waitFor(30, TimeUnit.SECONDS);
        started.forEach(ProcessHandle::destroyForcibly);
        run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The processes still running a few seconds after the run (zombies waiting for init count as gone). */
    private static List<String> leftRunning(Set<ProcessHandle> started) throws InterruptedException {
        List<String> alive = List.of();
        for (int i = 0; i < 50; i++) {
            alive = started.stream().filter(BenchQuickTest::running).map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
            if (alive.isEmpty()) break;
            Thread.sleep(100); // killed processes need a moment to be reaped; nothing to await on another's child
        }
        if (!alive.isEmpty()) started.forEach(ProcessHandle::destroyForcibly);
        return alive;
    }

    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
