package dev.kemi.tests.metrics;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kemi.runtime.boot.ProxyLoader;
import dev.kemi.runtime.core.SipProxy;
import dev.kemi.tests.Kamailio;
import dev.kemi.tests.SipRequests;
import dev.kemi.tests.UdpSipClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xhttp_prom against Kamailio 5.6.3's with the same cfg: both scraped over HTTP before and after
 * the same SIP traffic; the counters move alike, and the metric names of the core, sl and tmx
 * groups are the same set. Ours adds the JVM's metrics.
 */
class XhttpPromTest {
    private static final String CFG = """
            #!KAMAILIO
            children=1
            tcp_children=1
            tcp_accept_no_cl=yes
            listen=udp:%1$s:5060
            listen=tcp:%1$s:8080
            loadmodule "tm.so"
            loadmodule "tmx.so"
            loadmodule "sl.so"
            loadmodule "kex.so"
            loadmodule "pv.so"
            loadmodule "xhttp.so"
            loadmodule "xhttp_prom.so"
            modparam("xhttp_prom", "xhttp_prom_stats", "all")
            modparam("xhttp_prom", "prom_counter", "name=reqs; label=method:IP;")
            modparam("xhttp_prom", "prom_gauge", "name=level;")
            modparam("xhttp_prom", "prom_histogram", "name=size; label=m; buckets=100:1000")
            request_route {
                prom_counter_inc("reqs", "2", "$rm", "$si");
                prom_gauge_set("level", "-12.5");
                prom_histogram_observe("size", "500.5", "$rm");
                if ($rm == "INFO") {
                    t_newtran();
                    t_reply("200", "OK");
                    exit;
                }
                sl_send_reply("200", "OK");
            }
            event_route[xhttp:request] {
                if (prom_check_uri()) {
                    prom_dispatch();
                    exit;
                }
                xhttp_reply("404", "Not Found", "text/plain", "no $hu");
            }
            """;
    private static final String OURS = "127.0.65.10", KAMAILIO = "127.0.65.11", CLIENT = "127.0.65.20";
    private static final Pattern LINE = Pattern.compile("^(\\S+?(?:\\{.*\\})?) (\\S+)(?: \\d+)?$");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static SipProxy proxy;
    static Kamailio kamailio;

    @BeforeAll
    static void start() throws Exception {
        Path ours = Files.writeString(dir.resolve("ours.cfg"), CFG.formatted(OURS));
        proxy = SipProxy.start(ProxyLoader.proxyConfig(ProxyLoader.load(ours, Set.of())));
        if (!Kamailio.installed() || !Files.exists(Kamailio.MODULES.resolve("xhttp_prom.so"))) {
            assertNotEquals("true", System.getenv("CI"), "kamailio 5.6.3 with xhttp_prom is required under CI");
            return;
        }
        Path kdir = Files.createDirectories(dir.resolve("kamailio"));
        Path theirs = Files.writeString(kdir.resolve("kamailio.cfg"), CFG.formatted(KAMAILIO));
        kamailio = Kamailio.startBound(theirs, kdir, List.of(new InetSocketAddress(KAMAILIO, 5060)));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (kamailio != null) kamailio.close();
    }

    private static HttpResponse<String> get(String host, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + host + ":8080" + path)).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of one scrape: series (name and labels) → value. */
    private static Map<String, String> scrape(String host) throws Exception {
        HttpResponse<String> r = get(host, "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; version=0.0.4", r.headers().firstValue("Content-Type").orElse(""));
        Map<String, String> samples = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), "not an exposition line: " + line);
            samples.put(m.group(1), m.group(2));
        }
        return samples;
    }

    private static void traffic(String host) throws Exception {
        try (UdpSipClient c = new UdpSipClient(new InetSocketAddress(host, 5060), InetAddress.getByName(CLIENT))) {
            for (String method : List.of("OPTIONS", "OPTIONS", "OPTIONS", "INFO", "INFO")) {
                c.sendBytes(SipRequests.request(method, "sip:" + host + ":5060", c, SipRequests.callId()).getBytes());
                String reply = c.receive(Duration.ofSeconds(5));
                assertNotNull(reply, method + " to " + host + " unanswered");
                assertTrue(reply.startsWith("SIP/2.0 200 "), reply);
            }
        }
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String series) {
        assertTrue(after.containsKey(series), series + " missing from " + after.keySet());
        return Long.parseLong(after.get(series)) - Long.parseLong(before.getOrDefault(series, "0"));
    }

    /** What the same traffic does to the exposition of one proxy. */
    private static Map<String, Object> observe(String host) throws Exception {
        Map<String, String> before = scrape(host);
        traffic(host);
        Map<String, String> after = scrape(host);
        // each HTTP reply counts in sl's statistics (as Kamailio's xhttp replies through sl): the
        // first scrape's and those of the polls before the last one
        int httpReplies = 1;
        // Kamailio's sl and tmx statistics show up in a scrape up to a few seconds late
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((delta(before, after, "kamailio_sl_sent_replies") < 3 + httpReplies || delta(before, after, "kamailio_tmx_2xx_transactions") < 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling another process's counters: nothing to await
            after = scrape(host);
            httpReplies++;
        }
        Map<String, Object> seen = new TreeMap<>();
        for (String s : List.of("kamailio_core_rcv_requests_options", "kamailio_core_rcv_requests_info", "kamailio_sl_200_replies",
                "kamailio_sl_sent_replies", "kamailio_tmx_UAS_transactions", "kamailio_tmx_2xx_transactions")) {
            seen.put(s, delta(before, after, s) - (s.startsWith("kamailio_sl_") ? httpReplies : 0));
        }
        seen.put("reqs OPTIONS", delta(before, after, "kamailio_reqs{method=\"OPTIONS\", IP=\"" + CLIENT + "\"}"));
        seen.put("reqs INFO", delta(before, after, "kamailio_reqs{method=\"INFO\", IP=\"" + CLIENT + "\"}"));
        seen.put("level", after.get("kamailio_level"));
        Map<String, String> histogram = new TreeMap<>();
        after.forEach((k, v) -> {
            if (k.startsWith("kamailio_size_")) histogram.put(k, v);
        });
        seen.put("histogram", histogram);
        for (String group : List.of("core", "sl", "tmx")) {
            Set<String> names = new TreeSet<>();
            for (String s : after.keySet()) if (s.startsWith("kamailio_" + group + "_")) names.add(s);
            seen.put(group + " names", names);
        }
        return seen;
    }

    private static Map<Object, Object> filter(Map<?, ?> m, String word) {
        Map<Object, Object> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.toString().contains(word)) out.put(k, v);
        });
        return out;
    }

    @Test
    void trafficMovesTheCountersAsOnKamailio() throws Exception {
        Map<String, Object> ours = observe(OURS);
        assertEquals(3L, ours.get("kamailio_core_rcv_requests_options"));
        assertEquals(2L, ours.get("kamailio_core_rcv_requests_info"));
        assertEquals(3L, ours.get("kamailio_sl_200_replies"));
        assertEquals(2L, ours.get("kamailio_tmx_UAS_transactions"));
        assertEquals(6L, ours.get("reqs OPTIONS"));
        assertEquals(4L, ours.get("reqs INFO"));
        assertEquals("-12.500000", ours.get("level"));
        assertEquals(Map.of("kamailio_size_bucket{m=\"INFO\", le=\"100.000000\"}", "0", "kamailio_size_bucket{m=\"INFO\", le=\"1000.000000\"}", "2",
                "kamailio_size_bucket{m=\"INFO\", le=\"+Inf\"}", "2", "kamailio_size_sum{m=\"INFO\"}", "1001.000000",
                "kamailio_size_count{m=\"INFO\"}", "2"), filter((Map<?, ?>) ours.get("histogram"), "INFO"));
        if (kamailio == null) {
            assumeTrue(false, "kamailio 5.6.3 with xhttp_prom is not installed here");
            return;
        }
        Map<String, Object> theirs = observe(KAMAILIO);
        assertEquals(theirs, ours, "Kamailio's vs ours");
    }

    @Test
    void jvmMetricsBesideKamailiosNames() throws Exception {
        Map<String, String> s = scrape(OURS);
        assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{") && k.contains("area=\"heap\"")), s.keySet().toString());
        assertTrue(s.containsKey("jvm_gc_memory_allocated_bytes_total"), s.keySet().toString());
        assertTrue(s.containsKey("jvm_threads_live_threads"), s.keySet().toString());
        for (String k : s.keySet()) assertTrue(k.startsWith("kamailio_") || k.startsWith("jvm_") || k.startsWith("process_") || k.startsWith("system_"), k);
    }

    @Test
    void otherUrlsAreLeftToTheScript() throws Exception {
        HttpResponse<String> r = get(OURS, "/other");
        assertEquals(404, r.statusCode());
        assertEquals("no /other", r.body());
    }
}
