package dev.kemi.tests.control;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The command-line peers of these tests (kamcmd, curl, socat): run, output captured; missing ones fail under CI. */
public final class Peers {
    private Peers() {}

    static void require(String binary) {
        boolean there = Files.isExecutable(Path.of("/usr/bin", binary)) || Files.isExecutable(Path.of("/usr/sbin", binary));
        if (!there && "true".equals(System.getenv("CI"))) fail(binary + " is not installed (./kemi test installs it)");
        assumeTrue(there, binary + " not installed");
    }

    /** Runs a command to completion (30 s at most) and returns its standard output (stderr appended). */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String kamcmd(Path ctl, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("kamcmd", "-s", "unix:" + ctl));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Polls a condition another process makes true, up to the deadline. */
    public static void await(BooleanSupplier condition, Duration limit, String what) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what);
            try {
                Thread.sleep(50); // another process creates the file: nothing to await on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * kamcmd output reduced to its shape: indentation, member names and braces kept, values
     * replaced by V.
     */
    static String kamcmdShape(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) continue;
            int tabs = 0;
            while (tabs < line.length() && line.charAt(tabs) == '\t') tabs++;
            String rest = line.substring(tabs);
            sb.append("\t".repeat(tabs));
            int colon = rest.indexOf(": ");
            if (rest.equals("{") || rest.equals("}")) sb.append(rest);
            else if (colon > 0 && rest.substring(0, colon).matches("[\\w.]+")) {
                sb.append(rest, 0, colon + 2).append(rest.endsWith(": {") ? "{" : "V");
            } else sb.append("V");
            sb.append('\n');
        }
        return sb.toString();
    }

    /** jsonrpcs' pretty JSON reduced to its shape: strings become "S", numbers N. */
    static String jsonShape(String json) {
        return json.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"(?=\\s*[,}\\]\\n]|$)", "\"S\"").replaceAll("(?<=[:\\[ \\t])-?\\d+(\\.\\d+)?", "N");
    }
}
