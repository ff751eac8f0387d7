package dev.kemi.runtime.modules.xhttp_prom;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.xhttp.HttpRequest;
import dev.kemi.runtime.modules.xhttp.XhttpModule;
import dev.kemi.runtime.stats.Statistics;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Kamailio's xhttp_prom: prom_dispatch() in event_route[xhttp:request] answers with the
 * Prometheus text exposition of the statistics chosen by xhttp_prom_stats and of the metrics the
 * cfg declares (prom_counter, prom_gauge, prom_histogram), in xhttp_prom 5.6.3's names and layout. Added here:
 * the JVM's metrics (GC pauses, memory, threads; modparam jvm_metrics, on by default) after them.
 * Not here: the xhttp_prom.* RPCs.
 */
@Module(value = "xhttp_prom", loadName = "xhttp_prom")
public final class XhttpPromModule implements RuntimeModule {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4";
    private static final String METRICS_URI = "/metrics";

    private final UserMetrics userMetrics = new UserMetrics(System::currentTimeMillis);
    private StatsExposition stats = new StatsExposition("");
    private String prefix = "kamailio_";
    private int bufSize;
    private boolean jvm = true;
    private XhttpModule xhttp;
    private Statistics statistics;
    private JvmMetrics jvmMetrics;

    @Param("xhttp_prom_buf_size")
    public void bufSize(int v) {
        if (v < 0) throw new IllegalArgumentException("xhttp_prom_buf_size must not be negative");
        bufSize = v;
    }

    @Param("xhttp_prom_stats")
    public void stats(String v) {
        stats = new StatsExposition(v);
    }

    @Param("xhttp_prom_beginning")
    public void beginning(String v) {
        prefix = v;
    }

    @Param("xhttp_prom_timeout")
    public void timeout(int minutes) {
        userMetrics.timeoutMinutes(minutes);
    }

    @Param("prom_counter")
    public void counter(String spec) {
        userMetrics.declare(UserMetrics.Type.COUNTER, spec);
    }

    @Param("prom_gauge")
    public void gauge(String spec) {
        userMetrics.declare(UserMetrics.Type.GAUGE, spec);
    }

    @Param("prom_histogram")
    public void histogram(String spec) {
        userMetrics.declare(UserMetrics.Type.HISTOGRAM, spec);
    }

    /** Ours: 0 leaves the JVM's metrics out of the exposition. */
    @Param("jvm_metrics")
    public void jvmMetrics(int v) {
        jvm = v != 0;
    }

    @Override
    public void init(ProxyServices services) {
        xhttp = services.functions().module(XhttpModule.class);
        if (xhttp == null) throw new IllegalStateException("module xhttp_prom needs module xhttp: add loadmodule \"xhttp.so\"");
        statistics = services.statistics();
        if (jvm) jvmMetrics = new JvmMetrics();
    }

    @Override
    public void shutdown() {
        if (jvmMetrics != null) jvmMetrics.close();
        jvmMetrics = null;
    }

    /** The exposition text, or null when it does not fit xhttp_prom_buf_size or a named statistic is missing. */
    String exposition() {
        long now = System.currentTimeMillis();
        StringBuilder out = new StringBuilder(8192);
        userMetrics.print(out, prefix, now);
        if (!stats.print(out, statistics, prefix, now)) {
            ScriptLog.log(ScriptLog.ERR, "xhttp_prom: statistic not found for xhttp_prom_stats");
            return null;
        }
        if (jvmMetrics != null) out.append('\n').append(jvmMetrics.scrape());
        if (bufSize > 0 && out.length() >= bufSize) {
            ScriptLog.log(ScriptLog.ERR, "xhttp_prom: the metrics (" + out.length() + " bytes) do not fit xhttp_prom_buf_size " + bufSize);
            return null;
        }
        return out.toString();
    }

    /**
     * prom_dispatch(): answers the HTTP request with the metrics (500 "Internal Server Error" when
     * they cannot be built). 0 answered (which ends a native route, as in Kamailio), 1 not an HTTP
     * request, -1 the answer could not be sent.
     */
    @Export(value = "dispatch", natives = "prom_dispatch", routes = RouteType.EVENT_ROUTE, returns = {0, 1, -1})
    public int prom_dispatch(MessageContext ctx) {
        if (ctx.attachment(HttpRequest.class) == null) return 1;
        String body = exposition();
        boolean sent = body != null
                ? xhttp.reply(ctx, 200, "OK", CONTENT_TYPE, body)
                : xhttp.reply(ctx, 500, "Internal Server Error", CONTENT_TYPE, "Internal Server Error");
        return sent ? 0 : -1;
    }

    /** prom_check_uri(): 1 the HTTP URL is exactly /metrics, -1 otherwise. */
    @Export(natives = "prom_check_uri", nativeOnly = true, routes = RouteType.EVENT_ROUTE, returns = {1, -1})
    public int prom_check_uri(MessageContext ctx) {
        return isMetricsUri(ctx) ? 1 : -1;
    }

    /** KSR.xhttp_prom.check_uri(): 1 the HTTP URL is exactly /metrics, 0 otherwise. */
    @Export(value = "check_uri", kemiOnly = true, returns = {1, 0})
    public int check_uri(MessageContext ctx) {
        return isMetricsUri(ctx) ? 1 : 0;
    }

    private static boolean isMetricsUri(MessageContext ctx) {
        HttpRequest r = ctx.attachment(HttpRequest.class);
        return r != null && r.url().equals(METRICS_URI);
    }

    // prom_counter_inc(name, number[, l1[, l2[, l3]]]): 1 added, -1 error

    @Export(value = "counter_inc_l0", natives = "prom_counter_inc", returns = {1, -1})
    public int counter_inc_l0(MessageContext ctx, String name, int number) {
        return counterInc(name, number, List.of());
    }

    @Export(value = "counter_inc_l1", natives = "prom_counter_inc", returns = {1, -1})
    public int counter_inc_l1(MessageContext ctx, String name, int number, String l1) {
        return counterInc(name, number, List.of(l1));
    }

    @Export(value = "counter_inc_l2", natives = "prom_counter_inc", returns = {1, -1})
    public int counter_inc_l2(MessageContext ctx, String name, int number, String l1, String l2) {
        return counterInc(name, number, List.of(l1, l2));
    }

    @Export(value = "counter_inc_l3", natives = "prom_counter_inc", returns = {1, -1})
    public int counter_inc_l3(MessageContext ctx, String name, int number, String l1, String l2, String l3) {
        return counterInc(name, number, List.of(l1, l2, l3));
    }

    private int counterInc(String name, int number, List<String> labels) {
        if (number < 0) return fail("prom_counter_inc: invalid negative number " + number);
        return result(userMetrics.counterInc(name, number, labels));
    }

    // prom_counter_reset(name[, l1[, l2[, l3]]]): 1 reset (created if new), -1 error

    @Export(value = "counter_reset_l0", natives = "prom_counter_reset", returns = {1, -1})
    public int counter_reset_l0(MessageContext ctx, String name) {
        return result(userMetrics.counterReset(name, List.of()));
    }

    @Export(value = "counter_reset_l1", natives = "prom_counter_reset", returns = {1, -1})
    public int counter_reset_l1(MessageContext ctx, String name, String l1) {
        return result(userMetrics.counterReset(name, List.of(l1)));
    }

    @Export(value = "counter_reset_l2", natives = "prom_counter_reset", returns = {1, -1})
    public int counter_reset_l2(MessageContext ctx, String name, String l1, String l2) {
        return result(userMetrics.counterReset(name, List.of(l1, l2)));
    }

    @Export(value = "counter_reset_l3", natives = "prom_counter_reset", returns = {1, -1})
    public int counter_reset_l3(MessageContext ctx, String name, String l1, String l2, String l3) {
        return result(userMetrics.counterReset(name, List.of(l1, l2, l3)));
    }

    // prom_gauge_set(name, number[, l1[, l2[, l3]]]): number a decimal string; 1 set, -1 error

    @Export(value = "gauge_set_l0", natives = "prom_gauge_set", returns = {1, -1})
    public int gauge_set_l0(MessageContext ctx, String name, String number) {
        return gaugeSet(name, number, List.of());
    }

    @Export(value = "gauge_set_l1", natives = "prom_gauge_set", returns = {1, -1})
    public int gauge_set_l1(MessageContext ctx, String name, String number, String l1) {
        return gaugeSet(name, number, List.of(l1));
    }

    @Export(value = "gauge_set_l2", natives = "prom_gauge_set", returns = {1, -1})
    public int gauge_set_l2(MessageContext ctx, String name, String number, String l1, String l2) {
        return gaugeSet(name, number, List.of(l1, l2));
    }

    @Export(value = "gauge_set_l3", natives = "prom_gauge_set", returns = {1, -1})
    public int gauge_set_l3(MessageContext ctx, String name, String number, String l1, String l2, String l3) {
        return gaugeSet(name, number, List.of(l1, l2, l3));
    }

    private int gaugeSet(String name, String number, List<String> labels) {
        Double x = parse(number, "prom_gauge_set");
        return x == null ? -1 : result(userMetrics.gaugeSet(name, x, labels));
    }

    // prom_gauge_reset(name[, l1[, l2[, l3]]]): 1 set to 0 (created if new), -1 error

    @Export(value = "gauge_reset_l0", natives = "prom_gauge_reset", returns = {1, -1})
    public int gauge_reset_l0(MessageContext ctx, String name) {
        return result(userMetrics.gaugeSet(name, 0, List.of()));
    }

    @Export(value = "gauge_reset_l1", natives = "prom_gauge_reset", returns = {1, -1})
    public int gauge_reset_l1(MessageContext ctx, String name, String l1) {
        return result(userMetrics.gaugeSet(name, 0, List.of(l1)));
    }

    @Export(value = "gauge_reset_l2", natives = "prom_gauge_reset", returns = {1, -1})
    public int gauge_reset_l2(MessageContext ctx, String name, String l1, String l2) {
        return result(userMetrics.gaugeSet(name, 0, List.of(l1, l2)));
    }

    @Export(value = "gauge_reset_l3", natives = "prom_gauge_reset", returns = {1, -1})
    public int gauge_reset_l3(MessageContext ctx, String name, String l1, String l2, String l3) {
        return result(userMetrics.gaugeSet(name, 0, List.of(l1, l2, l3)));
    }

    // prom_histogram_observe(name, number[, l1[, l2[, l3]]]): number a decimal string; 1 observed, -1 error

    @Export(value = "histogram_observe_l0", natives = "prom_histogram_observe", returns = {1, -1})
    public int histogram_observe_l0(MessageContext ctx, String name, String number) {
        return observe(name, number, List.of());
    }

    @Export(value = "histogram_observe_l1", natives = "prom_histogram_observe", returns = {1, -1})
    public int histogram_observe_l1(MessageContext ctx, String name, String number, String l1) {
        return observe(name, number, List.of(l1));
    }

    @Export(value = "histogram_observe_l2", natives = "prom_histogram_observe", returns = {1, -1})
    public int histogram_observe_l2(MessageContext ctx, String name, String number, String l1, String l2) {
        return observe(name, number, List.of(l1, l2));
    }

    @Export(value = "histogram_observe_l3", natives = "prom_histogram_observe", returns = {1, -1})
    public int histogram_observe_l3(MessageContext ctx, String name, String number, String l1, String l2, String l3) {
        return observe(name, number, List.of(l1, l2, l3));
    }

    private int observe(String name, String number, List<String> labels) {
        Double x = parse(number, "prom_histogram_observe");
        return x == null ? -1 : result(userMetrics.histogramObserve(name, x, labels));
    }

    private static Double parse(String number, String function) {
        try {
            return Double.parseDouble(number.strip());
        } catch (NumberFormatException e) {
            fail(function + ": cannot parse '" + number + "' as a number");
            return null;
        }
    }

    private static int result(String error) {
        return error == null ? 1 : fail("xhttp_prom: " + error);
    }

    private static int fail(String why) {
        ScriptLog.log(ScriptLog.ERR, why);
        return -1;
    }
}
