package dev.kemi.runtime.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * core.psx: Kamailio lists its processes; ours are threads of one process, so each entry is a
 * proxy thread with its Linux thread id as PID (what top -H and gdb show), the process id when
 * that is not known.
 */
final class ThreadList {
    /** Thread names given by the runtime, and what Kamailio would call that process. */
    private static final List<Map.Entry<Pattern, String>> KINDS = List.of(
            Map.entry(Pattern.compile("worker-(\\d+)"), "sip worker child=%s"),
            Map.entry(Pattern.compile("udp-io-\\d+-(\\d+)"), "udp receiver io=%s"),
            Map.entry(Pattern.compile("tcp-io-\\d+-(\\d+)"), "tcp receiver io=%s"),
            Map.entry(Pattern.compile("timer()"), "timer%s"),
            Map.entry(Pattern.compile("rpc()"), "rpc handler%s"));
    /** Linux keeps 15 characters of a thread name. */
    private static final int COMM_LENGTH = 15;

    private ThreadList() {}

    static List<Map<String, Object>> entries() {
        long pid = ProcessHandle.current().pid();
        Map<String, Long> tids = linuxThreadIds();
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(entry(0, pid, "main process - attendant"));
        List<Thread> threads = new ArrayList<>(Thread.getAllStackTraces().keySet());
        threads.sort(Comparator.comparing(Thread::getName));
        for (Thread t : threads) {
            for (Map.Entry<Pattern, String> k : KINDS) {
                Matcher m = k.getKey().matcher(t.getName());
                if (!m.matches()) continue;
                String comm = t.getName().length() > COMM_LENGTH ? t.getName().substring(0, COMM_LENGTH) : t.getName();
                out.add(entry(out.size(), tids.getOrDefault(comm, pid), k.getValue().formatted(m.group(1))));
            }
        }
        return out;
    }

    private static Map<String, Object> entry(int idx, long pid, String dsc) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("IDX", idx);
        e.put("PID", pid);
        e.put("DSC", dsc);
        return e;
    }

    /** Thread name to Linux thread id, from /proc (empty elsewhere; ambiguous names left out). */
    private static Map<String, Long> linuxThreadIds() {
        Map<String, Long> out = new HashMap<>();
        List<String> ambiguous = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (out.put(comm, Long.parseLong(task.getFileName().toString())) != null) ambiguous.add(comm);
                } catch (IOException | NumberFormatException gone) {
                    // thread ended meanwhile
                }
            }
        } catch (IOException notLinux) {
            return Map.of();
        }
        ambiguous.forEach(out::remove);
        return out;
    }
}
