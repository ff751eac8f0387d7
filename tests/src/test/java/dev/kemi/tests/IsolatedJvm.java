package dev.kemi.tests;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM on the test classpath inside a network namespace of its own whose only interface is
 * {@code lo} (unshare --net; root under .ci/run): nothing it sends can leave the machine, and its
 * loopback addresses are its own, so runs whose cfgs listen on the same address can go at once.
 */
public final class IsolatedJvm {
    private IsolatedJvm() {}

    /** Starts {@code mainClass args} with this JVM's options (but its own -Xmx), stdout and stderr to {@code log}. */
    public static Process start(String maxHeap, Path log, String mainClass, List<String> args) {
        return start("", List.of("-Xmx" + maxHeap), log, mainClass, args);
    }

    /**
     * @param setup      shell commands run in the namespace before the JVM ("" for none), e.g. a sysctl of its own
     * @param jvmOptions -Xmx and system properties of the child
     */
    public static Process start(String setup, List<String> jvmOptions, Path log, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--net", "--", "sh", "-c",
                "ip link set lo up && " + (setup.isEmpty() ? "" : setup + " && ") + "exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) cmd.add(a);
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start an isolated JVM (unshare --net): " + e.getMessage(), e);
        }
    }
}
