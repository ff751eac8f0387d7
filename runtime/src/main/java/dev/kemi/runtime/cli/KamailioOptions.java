package dev.kemi.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Kamailio's own command-line options on `kemi run`, so a systemd unit or init script can switch
 * binary and keep its arguments (Debian's unit passes -P, -f, -m, -M). Options that set a core
 * parameter override the cfg's value, as in Kamailio.
 */
final class KamailioOptions {
    @Option(names = "-D", description = "Stay in the foreground (-D, -DD; as kamailio). With -P and without -D the launcher detaches, as kamailio forks.")
    boolean[] foreground = new boolean[0];

    @Option(names = "-E", description = "Log to stderr; without it (and without log_stderror=yes) the log goes to syslog (/dev/log), as kamailio's.")
    boolean logStderr;

    @Option(names = "-P", paramLabel = "PIDFILE", description = "Write the process id to this file once the proxy serves; removed at exit.")
    Path pidFile;

    @Option(names = "-w", paramLabel = "DIR", description = "Working directory, as kamailio's (checked to exist; the JVM cannot change its own, heap dumps follow the launcher's).")
    Path workDir;

    @Option(names = "-Y", paramLabel = "DIR", description = "Runtime directory for the ctl socket and the jsonrpcs FIFO/socket (rundir=), default /run/kamailio.")
    String runtimeDir;

    @Option(names = "-m", paramLabel = "MB", description = "Shared memory size: accepted; the JVM sizes its heap (JAVA_OPTS=-Xmx...).")
    Integer sharedMemory;

    @Option(names = "-M", paramLabel = "MB", description = "Private memory size: accepted; the JVM sizes its heap (JAVA_OPTS=-Xmx...).")
    Integer privateMemory;

    @Option(names = "-u", paramLabel = "USER", description = "Run as this user once the sockets are bound (user=).")
    String user;

    @Option(names = "-g", paramLabel = "GROUP", description = "Run with this group once the sockets are bound (group=).")
    String group;

    @Option(names = "-L", paramLabel = "DIR", description = "Module directory: accepted; modules are built in.")
    Path modulePath;

    @Option(names = "-a", paramLabel = "yes|no", description = "Automatic aliases from reverse DNS of the listen addresses (auto_aliases=).")
    String autoAliases;

    @Option(names = "-n", paramLabel = "N", description = "Worker count (children=).")
    Integer children;

    @Option(names = "-c", description = "Check the configuration and exit, as `kemi check`.")
    boolean checkOnly;

    /** Internal: the launcher's detach handshake (written once serving). */
    @Option(names = "--ready-file", hidden = true)
    Path readyFile;

    /** Core parameters the options set, overriding the cfg's. */
    Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        if (runtimeDir != null) m.put("rundir", runtimeDir);
        if (user != null) m.put("user", user);
        if (group != null) m.put("group", group);
        if (autoAliases != null) m.put("auto_aliases", autoAliases);
        if (children != null) m.put("children", children.toString());
        return m;
    }

    /** A problem with the options that stops the start, or null. */
    String problem() {
        if (workDir != null && !Files.isDirectory(workDir)) return "-w " + workDir + ": no such directory";
        if (runtimeDir != null && !Files.isDirectory(Path.of(runtimeDir))) return "-Y " + runtimeDir + ": no such directory";
        return null;
    }
}
