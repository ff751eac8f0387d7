package dev.kemi.engine.polyglot;

import dev.kemi.api.FunctionTable;
import dev.kemi.api.LogThrottle;
import dev.kemi.api.RouteType;
import dev.kemi.api.RoutingScript;
import dev.kemi.api.ScriptContext;
import dev.kemi.api.ScriptException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python or JS routing script: per worker thread one context of the current generation,
 * created lazily on the thread's first call; reload builds and initialises a new generation
 * first and swaps it in atomically; a watchdog interrupts runaway calls.
 *
 * <p>Deliberate differences from Kamailio 5.6.3: reload validates the new script (load, mod_init,
 * child_init(0)) before anything switches and a broken one is rejected, where Kamailio reloads
 * lazily per process in place; each worker context runs the script's top level itself (Kamailio
 * Python runs it once before fork); no pending-TypeError after a callback returning None; no
 * 128 KiB JS limit; a runaway call is interrupted after {@link ScriptOptions#callLimit()} of CPU time.
 */
public abstract sealed class PolyglotScript implements RoutingScript permits PythonScript, JsScript {
    private static final Logger LOG = LoggerFactory.getLogger(PolyglotScript.class);
    /** Script errors per location (file:line): once a minute at ERROR, counting the rest. */
    private final LogThrottle errors = LogThrottle.perMinute();
    /** Loading the script (imports, top-level code, mod_init) may take longer than a message. */
    private static final Duration INIT_LIMIT = Duration.ofSeconds(60);
    static final String REQUEST_CALLBACK = "ksr_request_route";

    final Path file;
    final FunctionTable table;
    final ScriptOptions options;
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private final ThreadLocal<Worker> local = new ThreadLocal<>();
    private final Object reloadLock = new Object();

    PolyglotScript(Path file, FunctionTable table, ScriptOptions options) {
        this.file = file.toAbsolutePath().normalize();
        this.table = table;
        this.options = options;
    }

    /** Loads generation 0; called by the factories once the object is constructed. */
    final void start() {
        current.set(loadGeneration(0, 1));
    }

    /**
     * Makes contexts ahead until the current generation has {@code workers} of them, one per
     * worker thread: without it every worker but the first creates and initialises its context
     * (seconds for GraalPy) on its first message, i.e. under full load right after a start.
     */
    @Override
    public void prepareWorkers(int workers) {
        synchronized (reloadLock) {
            Generation g = current.get();
            if (g == null) throw new IllegalStateException("script closed");
            while (g.size() < workers) g.addSpare(newWorker(g, g.nextRank()));
        }
    }

    abstract String language();

    abstract Context newContext();

    /**
     * Sets up KSR in the worker's context, runs the script's top level and its init functions,
     * and fills {@link Worker#call}/{@link Worker#has}. Rank 0 is the loader (validation) context.
     */
    abstract void initWorker(Worker w);

    public Path file() {
        return file;
    }

    /** The generation serving new calls: 0 after load, +1 per successful reload. */
    public int version() {
        Generation g = current.get();
        if (g == null) throw new IllegalStateException("script closed");
        return g.version;
    }

    /**
     * Loads and initialises the current file in a fresh context; only if that works do new calls
     * go to it. Calls in flight finish on the old generation, whose contexts close afterwards.
     *
     * @throws ScriptException with file:line when the new script fails; the old one keeps serving
     */
    public ReloadResult reload() {
        synchronized (reloadLock) {
            Generation old = current.get();
            if (old == null) throw new IllegalStateException("script closed");
            Generation next = loadGeneration(old.version + 1, old.servingCount());
            current.set(next);
            old.release();
            LOG.info("{}: reloaded, version {} -> {}", file, old.version, next.version);
            return new ReloadResult(old.version, next.version);
        }
    }

    @Override
    public void close() {
        synchronized (reloadLock) {
            Generation g = current.getAndSet(null);
            if (g != null) g.release();
        }
    }

    /**
     * Reads the file and initialises {@code contexts} worker contexts of it (at least one: the
     * validation). They wait as spares for the worker threads, so after a reload no worker stalls
     * on creating its context, and all of them ran the same helper modules from disk.
     */
    private Generation loadGeneration(int version, int contexts) {
        Source source;
        try {
            source = Source.newBuilder(language(), file.toFile()).build();
        } catch (IOException e) {
            throw new ScriptException(file.toString(), 0, 0, "cannot read script: " + e, e);
        }
        Generation g = new Generation(version, source);
        try {
            for (int i = 0; i < Math.max(1, contexts); i++) g.addSpare(newWorker(g, g.nextRank()));
        } catch (RuntimeException | Error e) {
            g.release(); // closes the spares made so far
            throw e;
        }
        return g;
    }

    private Worker newWorker(Generation g, int rank) {
        Context c = newContext();
        try {
            c.initialize(language()); // the language's own start-up (seconds for the first Python) is not the script's time
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        Worker w = new Worker(g, c, rank);
        Watchdog.INSTANCE.register(w);
        w.limitNanos = INIT_LIMIT.toNanos();
        w.owner = Thread.currentThread();
        w.callStart = System.nanoTime();
        try {
            initWorker(w);
        } catch (PolyglotException e) {
            ScriptException se = e.isInterrupted()
                    ? new ScriptException(file.toString(), 0, 0, "loading used more than " + INIT_LIMIT.toSeconds()
                            + " s of CPU, interrupted: " + ScriptErrors.traceback(e), e)
                    : ScriptErrors.toScriptException(e, file.toString()); // reads the guest error: before close
            w.close();
            throw se;
        } catch (RuntimeException | Error e) {
            w.close();
            throw e;
        } finally {
            w.callStart = 0;
        }
        w.limitNanos = options.callLimit().toNanos();
        return w;
    }

    /** This thread's worker of the current generation (for diagnostics and tests). */
    Worker worker() {
        Generation g = acquire();
        try {
            return worker(g);
        } finally {
            g.release();
        }
    }

    private Worker worker(Generation g) {
        Worker w = local.get();
        if (w == null || w.generation != g || w.dead) {
            w = g.takeSpare();
            if (w == null) {
                w = newWorker(g, g.nextRank());
                g.add(w);
            }
            local.set(w);
        }
        return w;
    }

    /** Outcome of {@link #invoke}: the callback ran (errors included), or does not exist. */
    static final int OK = 1, MISSING = 0, FAILED = -1;

    /**
     * Runs callback {@code name} with extra arguments on this thread's worker, with {@code ctx} as
     * the current message. Script errors are logged with file:line and traceback and end the
     * callback, as in Kamailio.
     */
    final int invoke(String name, ScriptContext ctx, Object... args) {
        Generation g = acquire();
        try {
            Worker w;
            try {
                w = worker(g);
            } catch (ScriptException e) {
                LOG.error("{} (worker context init failed, {} not run)", e.getMessage(), name);
                return FAILED;
            }
            if (!w.served) w.served = true;
            ScriptContext prev = w.current;
            boolean outer = w.depth++ == 0;
            w.current = ctx;
            if (outer) {
                w.interrupted = false;
                w.owner = Thread.currentThread();
                w.callStart = System.nanoTime();
            }
            try {
                return w.call.execute(callArgs(name, args)).asBoolean() ? OK : MISSING;
            } catch (PolyglotException e) {
                if (!outer && (e.isInterrupted() || e.isCancelled())) throw e; // let the watchdog end the outer call too
                report(e, name, w);
                return FAILED;
            } finally {
                if (outer) w.callStart = 0;
                w.depth--;
                w.current = prev;
            }
        } finally {
            g.release();
        }
    }

    private static Object[] callArgs(String name, Object[] args) {
        if (args.length == 0) return new Object[] {name};
        Object[] all = new Object[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    private Generation acquire() {
        for (;;) {
            Generation g = current.get();
            if (g == null) throw new IllegalStateException(file + ": script closed");
            if (g.acquire()) return g;
        }
    }

    private void report(PolyglotException e, String callback, Worker w) {
        if (e.isInterrupted() || e.isCancelled()) {
            ScriptErrors.Location l = interruptLocation(e, callback, w);
            if (errors.admit(l.toString()) == LogThrottle.SUPPRESS) return;
            LOG.error("{}: {} used more than {} ms of CPU and was interrupted{}: {}", l, callback, options.callLimit().toMillis(),
                    l.function() == null ? "" : " in " + l.function() + "()", ScriptErrors.traceback(e));
            return;
        }
        if (e.isExit()) {
            // the script ended its interpreter (os._exit, process.exit): next message gets a new one
            w.dead = true;
            LOG.error("{}: {} exited the interpreter (status {}); a new context is created", file, callback, e.getExitStatus());
            return;
        }
        ScriptErrors.Location l = ScriptErrors.locate(e, file.toString());
        long suppressed = errors.admit(l.toString());
        if (suppressed == LogThrottle.SUPPRESS) {
            LOG.debug("{}: error in {}: {}", l, callback, e.getMessage());
            return;
        }
        String more = suppressed == 0 ? "" : " (" + suppressed + " more here in the last minute)";
        LOG.error("{}: error in {}{}: {}", l, callback, more, ScriptErrors.traceback(e),
                e.isHostException() ? e.asHostException() : null);
    }

    /**
     * Where a watchdog-interrupted call was: the innermost user frame of the polyglot stack if
     * it has one (JS: the current line; Python: the running function's def line, for code run
     * from a file Source), else the callback's definition (GraalPy gives no frame locations for
     * code compiled from text, as the script module and its imports are). Worker thread only.
     */
    ScriptErrors.Location interruptLocation(PolyglotException e, String callback, Worker w) {
        ScriptErrors.Location l = ScriptErrors.locate(e, file.toString());
        if (l.line() > 0) return l;
        try {
            Value where = w.where.execute(callback);
            if (where.hasArrayElements()) {
                return new ScriptErrors.Location(where.getArrayElement(0).asString(), where.getArrayElement(1).asInt(), callback);
            }
            SourceSection s = where.isNull() ? null : where.getSourceLocation();
            if (s != null && s.isAvailable()) {
                String f = s.getSource().getPath() != null ? s.getSource().getPath() : s.getSource().getName();
                return new ScriptErrors.Location(f, s.getStartLine(), callback);
            }
        } catch (PolyglotException | IllegalStateException notAvailable) {
            // context unusable after the interrupt: the script file is all we know
        }
        return l;
    }

    @Override
    public void onRequest(ScriptContext ctx) {
        if (invoke(REQUEST_CALLBACK, ctx) == MISSING) LOG.error("{}: no {} callback in the script", file, REQUEST_CALLBACK);
    }

    @Override
    public void onReply(ScriptContext ctx) {
        if (ScriptOptions.enabled(options.replyCallback())) invoke(options.replyCallback(), ctx);
    }

    @Override
    public void onNamedRoute(int routeType, String name, ScriptContext ctx) {
        if (name != null && !name.isEmpty()) invoke(name, ctx);
    }

    @Override
    public void onSend(ScriptContext ctx) {
        if (ScriptOptions.enabled(options.onsendCallback())) invoke(options.onsendCallback(), ctx);
    }

    @Override
    public void onEvent(String event, ScriptContext ctx) {
        String cb = options.eventCallback(event);
        if (ScriptOptions.enabled(cb)) invoke(cb, ctx, event);
    }

    @Override
    public boolean has(int routeType, String name) {
        String cb = switch (routeType) {
            case RouteType.REQUEST -> name == null || name.isEmpty() ? REQUEST_CALLBACK : name;
            case RouteType.CORE_REPLY -> options.replyCallback();
            case RouteType.ONSEND -> options.onsendCallback();
            case RouteType.EVENT -> options.eventCallback(name);
            default -> name;
        };
        if (!ScriptOptions.enabled(cb)) return false;
        Generation g = acquire();
        try {
            return worker(g).has.execute(cb).asBoolean();
        } finally {
            g.release();
        }
    }

    /**
     * A named callback with string parameters (app_python3 exec / exec_p1, app_jsdt run / run_pN):
     * 1 if it ran, -1 if missing (logged) or it failed.
     */
    public int exec(String name, ScriptContext ctx, String... params) {
        int r = invoke(name, ctx, (Object[]) params);
        if (r == MISSING) LOG.error("{}: function {} not found", file, name);
        return r == OK ? 1 : -1;
    }
}
