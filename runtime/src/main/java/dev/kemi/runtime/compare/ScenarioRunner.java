package dev.kemi.runtime.compare;

import dev.kemi.runtime.transport.Protocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plays one scenario through a driver and records what happened. */
final class ScenarioRunner implements Driver.Wire, UaAgent.Outbox {
    private final Scenario scenario;
    private final Driver driver;
    /** What ${pid} gives (SIPp's [pid], in its From tags and branches), with the run suffix over real sockets. */
    private static final String SIPP_PID = "4242";
    /**
     * Over real sockets a proxy remembers earlier runs' transactions (a repeated Call-ID and
     * branch is a retransmission to it), so the UAs' ids get a per-run suffix, which the
     * normaliser removes again. On the virtual network every run starts a fresh proxy.
     */
    private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();
    private final Trace trace;
    private final Map<String, UaAgent> agents = new LinkedHashMap<>();
    private final Map<String, Integer> toLose = new HashMap<>();
    private final Map<String, UaScript> scripts = new LinkedHashMap<>();

    /** Where a scripted UA (imported from SIPp) is in its own steps. */
    private static final class UaScript {
        final List<Step> steps;
        int next;
        boolean pausing;
        String failure;

        UaScript(List<Step> steps) {
            this.steps = steps;
        }
    }

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
        for (UaSpec u : scenario.uas()) {
            r.agents.put(u.name(), new UaAgent(u, driver.uaAddress(u.name()), r.trace.runTag(), r));
            if (u.scripted() && !u.script().isEmpty()) r.scripts.put(u.name(), new UaScript(u.script()));
        }
        r.scripts.keySet().forEach(r::advance);
        String failure = r.steps();
        driver.runFor(scenario.settleMs(), () -> false);
        if (failure == null) failure = r.scriptFailure();
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
            case Step.Capture c -> {
                return capture(c);
            }
        }
    }

    /**
     * Plays a scripted UA's own steps as far as they go, as SIPp does: sends at once, an expect
     * takes the next received message (an optional one that does not match is passed over), a
     * wait resumes later. A message no step expects stops the script, as SIPp aborts the call.
     */
    private void advance(String name) {
        UaScript s = scripts.get(name);
        UaAgent ua = agents.get(name);
        while (s.failure == null && !s.pausing && s.next < s.steps.size()) {
            Step step = s.steps.get(s.next);
            try {
                switch (step) {
                    case Step.Expect e -> {
                        SipText msg = ua.inbox.peek();
                        if (msg == null) return;
                        int k = s.next;
                        while (k < s.steps.size() && s.steps.get(k) instanceof Step.Expect o && o.optional()
                                && !ScenarioLoader.Matcher.matches(o.match(), msg)) k++;
                        if (k < s.steps.size() && s.steps.get(k) instanceof Step.Expect m && ScenarioLoader.Matcher.matches(m.match(), msg)) {
                            ua.last = ua.inbox.poll();
                            s.next = k + 1;
                        } else {
                            s.failure = name + " step " + e.index() + ": expected " + e.match() + ", got " + msg.firstLine();
                        }
                    }
                    case Step.Wait w -> {
                        s.pausing = true;
                        s.next++;
                        driver.schedule(w.ms(), () -> {
                            s.pausing = false;
                            advance(name);
                        });
                    }
                    case Step.Send send -> {
                        // no runFor here: this runs inside the driver's own runFor (a delivery or a timer)
                        s.next++;
                        send(ua, render(ua, send.template()));
                    }
                    default -> {
                        s.next++;
                        String failure = step(step);
                        if (failure != null) s.failure = name + " " + failure;
                    }
                }
            } catch (IllegalArgumentException | IllegalStateException ex) {
                s.failure = name + " step " + step.index() + ": " + ex.getMessage();
            }
            if (s.failure != null) note(s.failure);
        }
    }

    /** Why a scripted UA did not finish: its failure, or the expect it still waits for. */
    private String scriptFailure() {
        for (Map.Entry<String, UaScript> e : scripts.entrySet()) {
            UaScript s = e.getValue();
            if (s.failure != null) return s.failure;
            for (int i = s.next; i < s.steps.size(); i++) {
                if (s.steps.get(i) instanceof Step.Expect x && !x.optional()) {
                    return e.getKey() + " step " + x.index() + ": still waiting for " + x.match() + " at the end";
                }
            }
        }
        return null;
    }

    private String capture(Step.Capture c) {
        UaAgent ua = agents.get(c.ua());
        if (ua.last == null) throw new IllegalStateException(c.ua() + " has accepted no message to search");
        String text = switch (c.in()) {
            case "hdr" -> String.join("\r\n", ua.last.headerLines(c.header()));
            case "body" -> ua.last.body();
            default -> ua.last.text();
        };
        java.util.regex.Matcher m = c.regex().matcher(text);
        boolean found = m.find();
        if (!found && c.required()) return "step " + c.index() + ": " + c.ua() + ": /" + c.regex() + "/ does not match";
        for (int i = 0; i < c.vars().size(); i++) {
            ua.vars.put(c.vars().get(i), found && i <= m.groupCount() && m.group(i) != null ? m.group(i) : "");
        }
        return null;
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
            case "pid": return SIPP_PID + trace.runTag();
            case "call_number": return "1";
            case "last_cseq_number": return ua.lastCSeqNumber();
            default: break;
        }
        if (v.startsWith("last.")) return ua.lastHeader(v.substring(5));
        if (v.startsWith("var.")) {
            String value = ua.vars.get(v.substring(4));
            if (value == null) throw new IllegalArgumentException("${" + v + "}: " + ua.name() + " has captured no such variable");
            return value;
        }
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
        if (scripts.containsKey(ua)) advance(ua);
    }

    @Override
    public void note(String text) {
        trace.add(new TraceEvent(TraceEvent.Kind.NOTE, driver.nowMillis(), "", "", "", "", text));
    }
}
