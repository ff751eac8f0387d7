package dev.kemi.bench;

import dev.kemi.api.Export;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.Module;
import dev.kemi.api.RouteType;
import dev.kemi.api.ScriptContext;
import dev.kemi.engine.polyglot.PolyglotScript;
import dev.kemi.engine.polyglot.PolyglotScripts;
import dev.kemi.engine.polyglot.ScriptOptions;
import dev.kemi.engine.polyglot.SharedEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-message cost of the polyglot host: one {@code ksr_request_route} making 6 KSR calls (str,
 * int and no-arg parameters; bool, int, xval and none returns), Python vs JS. Needs the JIT:
 * run from the repository root after {@code mvn -pl bench -am package -DskipTests} with
 * <pre>
 * java -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --enable-native-access=ALL-UNNAMED \
 *   --sun-misc-unsafe-memory-access=allow --upgrade-module-path=engine/target/jit \
 *   -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main KsrDispatchBench
 * </pre>
 * (the forked JVM inherits these flags). Warm-up is long because GraalPy's JIT needs ~17 s.
 * Each iteration also prints the thread's CPU time per call ({@code [cpu N ns/op]}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KsrDispatchBench {
    @Param({"python", "js"})
    public String language;

    private PolyglotScript script;
    private final BenchContext ctx = new BenchContext();
    private Path dir;

    private static final String PYTHON = """
            import KSR

            def mod_init():
                return Handler()

            class Handler:
                def child_init(self, rank):
                    return 0

                def ksr_request_route(self, msg):
                    if KSR.b.is_method("INVITE"):
                        KSR.b.setflag(3)
                    ru = KSR.b.get("$ru")
                    if KSR.b.t_check() > 0 and ru is not None:
                        KSR.b.append("X-Bench: 1")
                    KSR.b.log("done")
                    return 1
            """;

    private static final String JS = """
            function ksr_request_route() {
              if (KSR.b.is_method("INVITE")) {
                KSR.b.setflag(3);
              }
              const ru = KSR.b.get("$ru");
              if (KSR.b.t_check() > 0 && ru !== null) {
                KSR.b.append("X-Bench: 1");
              }
              KSR.b.log("done");
            }
            """;

    @Setup(Level.Trial)
    public void load() throws IOException {
        System.out.println("polyglot engine: " + SharedEngine.implementationName());
        dir = Files.createTempDirectory("ksr-bench");
        FunctionTable table = FunctionTable.build(List.of(new BenchModule()));
        if (language.equals("python")) {
            script = PolyglotScripts.python(Files.writeString(dir.resolve("bench_route.py"), PYTHON), table, ScriptOptions.defaults());
        } else {
            script = PolyglotScripts.js(Files.writeString(dir.resolve("bench_route.js"), JS), table, ScriptOptions.defaults());
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        script.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    @Benchmark
    public int requestRoute(CpuClock clock) {
        script.onRequest(ctx);
        clock.ops++;
        return ctx.flags;
    }

    /**
     * Prints the benchmark thread's CPU time per call after each iteration: on a shared machine
     * the wall-clock score mostly measures how long the thread waited for a core.
     */
    @State(Scope.Thread)
    public static class CpuClock {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        long ops;
        private long start;

        @Setup(Level.Iteration)
        public void begin() {
            ops = 0;
            start = MX.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void end() {
            if (ops > 0) System.out.printf(" [cpu %.0f ns/op]", (MX.getCurrentThreadCpuTime() - start) / (double) ops);
        }
    }

    /** Six cheap functions with the KEMI shapes a real route uses. */
    @Module("b")
    public static final class BenchModule {
        @Export("is_method")
        public boolean isMethod(ScriptContext ctx, String m) {
            return m.length() == 6;
        }

        @Export
        public boolean setflag(ScriptContext ctx, int flag) {
            ((BenchContext) ctx).flags |= 1 << flag;
            return true;
        }

        @Export
        public Object get(ScriptContext ctx, String pv) {
            return "sip:bob@example.com";
        }

        @Export("t_check")
        public int tCheck(ScriptContext ctx) {
            return 1;
        }

        @Export
        public int append(ScriptContext ctx, String hf) {
            return hf.length();
        }

        @Export
        public void log(ScriptContext ctx, String text) {}
    }

    static final class BenchContext implements ScriptContext {
        int flags;

        @Override
        public int routeType() {
            return RouteType.REQUEST;
        }

        @Override
        public void setDrop() {}

        @Override
        public boolean isDropped() {
            return false;
        }

        @Override
        public boolean isMyself(String value, boolean nativeDefaultPort) {
            return false;
        }
    }
}
