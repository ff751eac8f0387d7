package dev.kemi.runtime.compare;

import dev.kemi.engine.lint.LintFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One side sent nothing further (or nothing extra) where a KEMI side went on: t_check_trans() or
 * t_newtran() returned 0, which ends a native script but not a KEMI one (reference §2, §6.1.1).
 */
final class ZeroReturnRule implements ExplainRule {
    private static final Pattern CALL = Pattern.compile("\\b(t_check_trans|t_newtran)\\s*\\(");

    @Override
    public List<Explanation> explain(ExplainContext ctx) {
        SideRun went = ctx.extraSide();
        if (went == null) went = relayedAfterRetransmission(ctx);
        if (went == null || !went.side().engine().kemi()) return List.of();
        // these functions return 0 for a retransmission or an absorbed ACK: anything else is not this pitfall
        TraceEvent trigger = ctx.trigger(went);
        if (trigger == null || !(ctx.triggerIsRetransmission(went) || SipText.parse(trigger.text()).method().equals("ACK"))) return List.of();
        SideRun stopped = ctx.other(went);
        if (stopped.side().engine().kemi() && stopped.side().scriptText().equals(went.side().scriptText())) return List.of();
        List<Explanation> out = new ArrayList<>();
        for (ScriptLines.Hit h : candidates(went)) {
            java.util.regex.Matcher m = CALL.matcher(h.text());
            if (!m.find()) continue;
            out.add(new Explanation("zero-return", "`" + m.group(1) + "()` returned 0 at " + went.side().at(h.line())
                    + ": native cfg exits here, KEMI goes on" + trigger(ctx, went)
                    + "; test the result with == 0 and return"));
        }
        return out;
    }

    /**
     * The KEMI side that relayed a request where the other did not, right after a retransmission:
     * going on to t_relay() after t_check_trans() returned 0 adds a branch to the transaction (as
     * on Kamailio), so the runs part by more than one message.
     */
    private static SideRun relayedAfterRetransmission(ExplainContext ctx) {
        for (SideRun s : List.of(ctx.a(), ctx.b())) {
            TraceEvent e = ctx.divergentEvent(s);
            if (s.side().engine().kemi() && e != null && e.kind() == TraceEvent.Kind.FROM_PROXY
                    && !SipText.parse(e.text()).isResponse() && ctx.triggerIsRetransmission(s)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Lint's findings on untested 0 results if we have them (exact); else calls standing alone as a
     * statement not followed by a return/exit (the usual port of a native `t_check_trans();`);
     * else every call.
     */
    private static List<ScriptLines.Hit> candidates(SideRun s) {
        List<ScriptLines.Hit> fromLint = new ArrayList<>();
        List<String> lines = s.side().scriptText().lines().toList();
        for (LintFinding f : s.lint()) {
            if (f.message().contains("may return 0") && f.line() >= 1 && f.line() <= lines.size()) {
                fromLint.add(new ScriptLines.Hit(f.line(), lines.get(f.line() - 1).strip()));
            }
        }
        if (!fromLint.isEmpty()) return fromLint;
        List<ScriptLines.Hit> all = ScriptLines.find(s.side().scriptText(), CALL);
        List<ScriptLines.Hit> ignored = all.stream().filter(h -> BARE.matcher(h.text()).matches() && !leavesNext(lines, h.line())).toList();
        return ignored.isEmpty() ? all : ignored;
    }

    private static final Pattern BARE = Pattern.compile("KSR\\.tm\\.(t_check_trans|t_newtran)\\s*\\(\\s*\\)\\s*;?\\s*(#.*|//.*)?");
    private static final Pattern LEAVE = Pattern.compile("(return\\b|exit\\b|sys\\.exit|KSR\\.x\\.(exit|drop)).*");

    /** The next code line after {@code line} (1-based) returns or exits. */
    private static boolean leavesNext(List<String> lines, int line) {
        for (int i = line; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("//")) continue;
            return LEAVE.matcher(l).matches();
        }
        return false;
    }

    static String trigger(ExplainContext ctx, SideRun s) {
        TraceEvent t = ctx.trigger(s);
        if (t == null) return "";
        return " (after " + t.from() + "'s " + (ctx.triggerIsRetransmission(s) ? "retransmitted " : "")
                + SipText.parse(t.text()).summary() + ")";
    }
}
