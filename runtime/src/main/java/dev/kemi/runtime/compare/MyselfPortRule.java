package dev.kemi.runtime.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `uri==myself` (native) checks port 5060 when the R-URI has none; KSR.is_myself_ruri() passes
 * port 0, a wildcard. They disagree when the proxy does not listen on 5060 (§4.1, §6.1.8).
 */
final class MyselfPortRule implements ExplainRule {
    private static final Pattern NATIVE = Pattern.compile("\\buri\\s*(==|!=)\\s*myself");
    private static final Pattern KEMI = Pattern.compile("\\bis_myself_ruri\\s*\\(");
    private static final Pattern LISTEN = Pattern.compile("(?m)^\\s*listen\\s*=\\s*(\\S+)");

    @Override
    public List<Explanation> explain(ExplainContext ctx) {
        SideRun nat = ctx.a().side().engine() == ConfigSide.Engine.NATIVE ? ctx.a() : ctx.b().side().engine() == ConfigSide.Engine.NATIVE ? ctx.b() : null;
        SideRun kemi = ctx.other(nat == null ? ctx.a() : nat);
        if (nat == null || !kemi.side().engine().kemi() || !listensOffDefault(nat.side().cfgText())) return List.of();
        TraceEvent trigger = ctx.trigger(kemi);
        if (trigger == null || hasPort(SipText.parse(trigger.text()).requestUri())) return List.of();
        List<ScriptLines.Hit> n = ScriptLines.find(nat.side().scriptText(), NATIVE);
        List<ScriptLines.Hit> k = ScriptLines.find(kemi.side().scriptText(), KEMI);
        if (n.isEmpty() || k.isEmpty()) return List.of();
        List<Explanation> out = new ArrayList<>();
        out.add(new Explanation("myself-port", "`uri==myself` at " + nat.side().at(n.get(0).line())
                + " assumes port 5060 when the R-URI has no port, `KSR.is_myself_ruri()` at " + kemi.side().at(k.get(0).line())
                + " accepts any port; this proxy does not listen on 5060, so they disagree" + ZeroReturnRule.trigger(ctx, kemi)));
        return out;
    }

    /** sip:host:port / sip:user@host:port (IPv6 in brackets) */
    private static boolean hasPort(String uri) {
        if (uri == null) return true;
        String hostPart = uri.replaceFirst("^sips?:", "").replaceFirst("^[^@]*@", "").split("[;?]")[0];
        return hostPart.matches(".*:\\d+$") && !hostPart.matches("\\[[^]]*]");
    }

    /** True when listen= lines exist and none uses port 5060 (an implicit port means 5060). */
    private static boolean listensOffDefault(String cfg) {
        Matcher m = LISTEN.matcher(cfg);
        boolean any = false;
        while (m.find()) {
            any = true;
            String[] p = m.group(1).split(":");
            int first = p[0].matches("(?i)udp|tcp|tls|sctp|ws|wss") ? 1 : 0;
            String port = p.length - first >= 2 ? p[p.length - 1].replaceAll("[^0-9].*", "") : "5060";
            if (port.isEmpty() || port.equals("5060")) return false;
        }
        return any;
    }
}
