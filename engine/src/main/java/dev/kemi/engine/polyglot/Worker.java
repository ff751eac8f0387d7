package dev.kemi.engine.polyglot;

import dev.kemi.api.ScriptContext;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * One worker thread's context of one script generation (a Kamailio process' interpreter).
 * Only its owner thread calls into it; the watchdog reads {@link #callStart}.
 */
final class Worker {
    final Generation generation;
    final Context context;
    final int rank;
    /** The language's dispatcher: {@code call(name, args...)} → true if the callback exists. */
    Value call;
    /** {@code has(name)} → whether the callback exists. */
    Value has;
    /** {@code where(name)} → the callback (JS function) or its (file, line) (Python), null if missing. */
    Value where;

    /** The message being processed; KSR functions act on it. Owner thread only. */
    ScriptContext current;
    /** Nesting of script calls on this worker (KSR function → runtime → onsend callback). */
    int depth;
    /** The thread running the outermost call: written before {@link #callStart}. */
    volatile Thread owner;
    /** System.nanoTime() of the outermost running call, 0 when idle. */
    volatile long callStart;
    volatile boolean interrupted;
    /** Watchdog limit for the running call, in nanoseconds of CPU time. */
    volatile long limitNanos;
    /** Watchdog thread only: the call it last saw ({@link #callStart}) and the owner's CPU time then. */
    long seenStart, seenCpu;
    /**
     * A script call ran on it (not only {@code has()} lookups, which the loader thread makes):
     * a reload prepares as many contexts as the old version had serving ones. Read racily by
     * the reloading thread, as a hint.
     */
    boolean served;
    /** The interpreter exited (os._exit): the next call creates a new context. */
    boolean dead;

    Worker(Generation generation, Context context, int rank) {
        this.generation = generation;
        this.context = context;
        this.rank = rank;
    }

    void close() {
        Watchdog.INSTANCE.unregister(this);
        context.close();
    }
}
