package dev.kemi.engine.polyglot;

import dev.kemi.api.Export;
import dev.kemi.api.FunctionTable;
import dev.kemi.api.Module;
import dev.kemi.api.ScriptContext;
import java.util.List;

/** Fake KSR modules recording their calls into the {@link TestContext}. */
final class TestModules {
    private TestModules() {}

    /**
     * Defaults with a watchdog limit far above any legitimate test call: on a loaded CI machine a
     * cold Python call can exceed Kamailio-ish 1 s. WatchdogTest sets its own short limit.
     */
    static final ScriptOptions OPTIONS = ScriptOptions.defaults().withCallLimit(java.time.Duration.ofSeconds(30));

    static FunctionTable table() {
        return FunctionTable.build(List.of(new Core(), new Rec(), new Tm(), new Pv(), new Gate(), new AppPython3Module(), new AppJsdtModule()));
    }

    static void record(ScriptContext ctx, String call) {
        if (ctx instanceof TestContext t) t.calls.add(call);
    }

    @Module("")
    public static final class Core {
        @Export
        public void info(ScriptContext ctx, String text) {
            record(ctx, "info:" + text);
        }

        @Export
        public void log(ScriptContext ctx, String level, String text) {
            record(ctx, "log:" + level + ":" + text);
        }

        @Export
        public boolean seturi(ScriptContext ctx, String uri) {
            record(ctx, "seturi:" + uri);
            return true;
        }

        @Export("set_drop")
        public void setDrop(ScriptContext ctx) {
            ctx.setDrop();
        }
    }

    /** Parameter and return marshalling probes. */
    @Module("rec")
    public static final class Rec {
        @Export
        public int str(ScriptContext ctx, String s) {
            record(ctx, "str:" + s);
            return 7;
        }

        @Export(natives = "rec_int")
        public int num(ScriptContext ctx, int i) {
            record(ctx, "num:" + i);
            return i;
        }

        @Export(natives = "rec_two")
        public boolean two(ScriptContext ctx, String s, int i) {
            record(ctx, "two:" + s + "," + i);
            return i > 0;
        }

        @Export
        public int noargs(ScriptContext ctx) {
            record(ctx, "noargs");
            return 3;
        }

        /** Uses the message: fails outside one. */
        @Export("needs_msg")
        public int needsMsg(ScriptContext ctx) {
            return ctx.routeType();
        }

        @Export
        public void none(ScriptContext ctx) {
            record(ctx, "none");
        }

        @Export
        public Object xval(ScriptContext ctx, String kind) {
            return switch (kind) {
                case "int" -> 42;
                case "str" -> "forty-two";
                // an array of dicts, as KSR.pvx.xavp_getd returns
                case "dicts" -> List.of(java.util.Map.of("k", List.of(1, "v")), java.util.Map.of());
                default -> null;
            };
        }
    }

    @Module(value = "tm", loadName = "tm")
    public static final class Tm {
        @Export("t_on_failure")
        public int tOnFailure(ScriptContext ctx, String name) {
            if (ctx instanceof TestContext t) t.failureRoute = name;
            return 1;
        }

        @Export("t_relay")
        public int tRelay(ScriptContext ctx) {
            record(ctx, "t_relay");
            return 1;
        }
    }

    /** Blocks a script call until the test opens the context's gate. */
    @Module("gate")
    public static final class Gate {
        @Export
        public int block(ScriptContext ctx) {
            TestContext t = (TestContext) ctx;
            t.entered.countDown();
            try {
                return t.gate.await(10, java.util.concurrent.TimeUnit.SECONDS) ? 1 : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    @Module("pv")
    public static final class Pv {
        @Export
        public Object get(ScriptContext ctx, String name) {
            return switch (name) {
                case "$rm" -> "INVITE";
                case "$ru" -> "sip:alice@example.com";
                case "$si" -> "127.0.0.1";
                case "$sp" -> 5062;
                case "$hdr(X-Test)" -> "yes";
                default -> null;
            };
        }
    }
}
