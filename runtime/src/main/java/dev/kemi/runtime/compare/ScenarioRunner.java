package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Plays one scenario through a driver and records what happened. */
final class ScenarioRunner implements Driver.Wire, UaAgent.Outbox {
    private final Scenario scenario;
    private final Driver driver;
    /**
     * Over real sockets a proxy remembers earlier runs' transactions (a repeated Call-ID and
     * branch is a retransmission to it), so the UAs' ids get a per-run suffix, which the
     * normaliser removes again. On the virtual network every run starts a fresh proxy.
     */
    private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();
    private final Trace trace;
    private final Map<String, UaAgent> agents = new LinkedHashMap<>();
    private final Map<String, Integer> toLose = new HashMap<>();

    private ScenarioRunner(Scenario scenario, Driver driver) {
        this.scenario = scenario;
        this.driver = driver;
        this.trace = new Trace(driver.virtual() ? ""
                : "-r" + Long.toString(System.currentTimeMillis() % 10_000_000_000L, 36) + RUNS.incrementAndGet());
    }

    /** Runs the scenario; the driver is started here and closed by the caller. */
    static ScenarioResult run(Scenario scenario, Driver driver, String side) throws Exception {
        ScenarioRunner r = new ScenarioRunner(scenario, driver);
        driver.start(scenario, r);
        for (UaSpec u : scenario.uas()) r.agents.put(u.name(), new UaAgent(u, driver.uaAddress(u.name()), r.trace.runTag(), r));
        String failure = r.steps();
        driver.runFor(scenario.settleMs(), () -> false);
        return new ScenarioResult(scenario.name(), side, r.trace, failure, driver.virtual());
    }

    private String steps() {
        for (Step s : scenario.steps()) {
            String failure;
            try {
                failure = step(s);
            } catch (IllegalArgumentException | IllegalStateException e) {
                failure = "step " + s.index() + ": " + e.getMessage();
            }
            if (failure != null) {
                note(failure);
                return failure;
            }
        }
        return null;
    }

    private String step(Step s) {
        switch (s) {
            case Step.Send send -> {
                UaAgent ua = agents.get(send.ua());
                send(ua, render(ua, send.template()));
                driver.runFor(0, () -> false);
                return null;
            }
            case Step.Expect e -> {
                return expect(e);
            }
            case Step.Wait w -> {
                driver.runFor(w.ms(), () -> false);
                return null;
            }
            case Step.Lose l -> {
                toLose.merge(l.ua(), l.count(), Integer::sum);
                return null;
            }
        }
    }

    private String expect(Step.Expect e) {
        UaAgent ua = agents.get(e.ua());
        driver.runFor(e.timeoutMs(), () -> !ua.inbox.isEmpty());
        SipText next = ua.inbox.peek();
        if (next != null && ScenarioLoader.Matcher.matches(e.match(), next)) {
            ua.last = ua.inbox.poll();
            return null;
        }
        if (e.optional()) return null;
        String got = next == null ? "nothing within " + e.timeoutMs() + " ms" : next.firstLine();
        return "step " + e.index() + ": " + e.ua() + " expected " + e.match() + ", got " + got;
    }

    private String render(UaAgent ua, String template) {
        String first = template.strip().lines().findFirst().orElse("");
        boolean request = !first.startsWith("SIP/");
        if (request) ua.beginRequest(first.split("\\s+")[0].toUpperCase(), template.contains("${branch}"));
        String[] branch = new String[1];
        return TemplateRenderer.render(template, v -> variable(ua, v, branch));
    }

    private String variable(UaAgent ua, String v, String[] branch) {
        switch (v) {
            case "callid": return scenario.name() + "-1" + trace.runTag() + "@kemi.test";
            case "branch": return branch[0] != null ? branch[0] : (branch[0] = ua.newBranch());
            case "last_branch": return ua.lastBranch();
            case "tag": return ua.tag;
            case "cseq": return Integer.toString(ua.cseq());
            case "routes": return ua.routes();
            case "next_url": return ua.nextUrl();
            case "peer_tag_param": return ua.peerTagParam();
            case "transport": return ua.spec.transport().name();
            case "local_addr": return ua.hostPort();
            case "contact": return "<" + ua.contactUri() + ">";
            default: break;
        }
        if (v.startsWith("last.")) return ua.lastHeader(v.substring(5));
        if (v.startsWith("proxy.")) return proxyVariable(ua, v.substring(6));
        if (v.startsWith("ua.")) {
            int dot = v.indexOf('.', 3);
            UaAgent other = dot < 0 ? null : agents.get(v.substring(3, dot));
            if (other != null) {
                switch (v.substring(dot + 1)) {
                    case "addr": return other.hostPort();
                    case "host": return other.addr.getAddress().getHostAddress();
                    case "port": return Integer.toString(other.addr.getPort());
                    case "transport": return other.spec.transport().name();
                    case "contact": return "<" + other.contactUri() + ">";
                    case "tag": return other.tag;
                    default: break;
                }
            }
        }
        throw new IllegalArgumentException("unknown variable ${" + v + "}");
    }

    private String proxyVariable(UaAgent ua, String rest) {
        Protocol proto = ua.spec.transport();
        if (rest.startsWith("udp.") || rest.startsWith("tcp.")) {
            proto = Protocol.parse(rest.substring(0, 3));
            rest = rest.substring(4);
        }
        InetSocketAddress a = driver.proxyAddress(proto);
        String host = a.getAddress().getHostAddress();
        return switch (rest) {
            case "addr" -> host + ":" + a.getPort();
            case "host" -> host;
            case "port" -> Integer.toString(a.getPort());
            default -> throw new IllegalArgumentException("unknown variable ${proxy." + rest + "}");
        };
    }

    // --- Outbox: what UAs send -----------------------------------------------------------------

    @Override
    public void send(UaAgent from, String text) {
        Protocol proto = from.spec.transport();
        trace.add(new TraceEvent(TraceEvent.Kind.TO_PROXY, driver.nowMillis(), from.name(), "proxy",
                proto.lower() + " " + VirtualNetwork.addr(driver.proxyAddress(proto)), driver.proxySocket(proto), text));
        from.sent(SipText.parse(text));
        driver.send(from.name(), proto, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void later(long delayMs, Runnable task) {
        driver.schedule(delayMs, task);
    }

    // --- Wire: what the proxy sends -------------------------------------------------------------

    @Override
    public boolean proxySent(String ua, Protocol proto, InetSocketAddress dst, String socket, byte[] msg) {
        String text = new String(msg, StandardCharsets.UTF_8);
        if (!trace.runTag().isEmpty() && !text.contains(trace.runTag())) {
            // over real sockets: a late answer to an earlier run (e.g. its 408) is not part of this one
            note("ignored a message from an earlier run: " + SipText.parse(text).firstLine());
            return false;
        }
        String target = proto.lower() + " " + VirtualNetwork.addr(dst);
        TraceEvent.Kind kind = TraceEvent.Kind.FROM_PROXY;
        if (ua == null) {
            kind = TraceEvent.Kind.VOID;
        } else if (toLose.getOrDefault(ua, 0) > 0) {
            toLose.merge(ua, -1, Integer::sum);
            kind = TraceEvent.Kind.LOST;
        }
        trace.add(new TraceEvent(kind, driver.nowMillis(), "proxy", ua == null ? "void" : ua, target, socket, text));
        return kind == TraceEvent.Kind.FROM_PROXY;
    }

    @Override
    public void deliver(String ua, byte[] msg) {
        UaAgent a = agents.get(ua);
        try {
            a.receive(SipText.parse(msg));
        } catch (RuntimeException e) {
            note(ua + " could not handle a message: " + e);
        }
    }

    @Override
    public void note(String text) {
        trace.add(new TraceEvent(TraceEvent.Kind.NOTE, driver.nowMillis(), "", "", "", "", text));
    }
}
