package dev.kemi.engine.polyglot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Source;

/**
 * One loaded version of a script. Reference-counted: the script holds one reference while the
 * generation is current, every call holds one while it runs; the contexts close when the count
 * reaches zero, i.e. after a reload once the last in-flight call of the old version returned.
 */
final class Generation {
    final int version;
    /** The script text read once, so every worker of this generation runs the same code. */
    final Source source;
    /** Helper module texts as first read for this generation: path → text, empty if unreadable. */
    private final Map<String, Optional<String>> moduleTexts = new ConcurrentHashMap<>();
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicInteger ranks = new AtomicInteger();
    private final Queue<Worker> workers = new ConcurrentLinkedQueue<>();
    private final Queue<Worker> spares = new ConcurrentLinkedQueue<>();

    Generation(int version, Source source) {
        this.version = version;
        this.source = source;
    }

    /**
     * A helper module's text (Python import next to the script, JS require) as this generation
     * first read it, so a context created later for it (a new worker thread) runs the same
     * helpers as the others even if the files changed meanwhile; null if there is no such file.
     */
    String moduleText(String path) {
        return moduleTexts.computeIfAbsent(path, p -> {
            try {
                return Optional.of(Files.readString(Path.of(p), StandardCharsets.UTF_8));
            } catch (IOException | InvalidPathException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    /** False if the generation is already retired and closed. */
    boolean acquire() {
        for (;;) {
            int r = refs.get();
            if (r == 0) return false;
            if (refs.compareAndSet(r, r + 1)) return true;
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            for (Worker w; (w = workers.poll()) != null; ) w.close();
        }
    }

    /** Kamailio ranks: 1 is the first SIP worker. */
    int nextRank() {
        return ranks.incrementAndGet();
    }

    void add(Worker w) {
        workers.add(w);
    }

    /** A context made ahead (at load or reload) for the next worker thread that needs one. */
    void addSpare(Worker w) {
        workers.add(w);
        spares.add(w);
    }

    /** Contexts made for this generation so far. */
    int size() {
        return workers.size();
    }

    Worker takeSpare() {
        return spares.poll();
    }

    /** Contexts of this generation that served calls: how many a reload prepares for the next one. */
    int servingCount() {
        int n = 0;
        for (Worker w : workers) if (w.served) n++;
        return n;
    }
}
