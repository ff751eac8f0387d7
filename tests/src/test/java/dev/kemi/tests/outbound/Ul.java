package dev.kemi.tests.outbound;

import dev.kemi.runtime.rpc.ProxyRpc;
import dev.kemi.runtime.rpc.RpcMember;
import dev.kemi.runtime.rpc.RpcUnsigned;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One binding of ul.dump as field name to text: from Kamailio through kamcmd, from us through the RPC registry. */
final class Ul {
    private Ul() {}

    /** The fields of the binding whose Address starts with {@code address}, or null if there is none. */
    static Map<String, String> kamailio(Path ctl, String address) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kamcmd", "-s", "unix:" + ctl, "ul.dump").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        Map<String, String> c = null;
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.startsWith("Address: ")) c = s.substring(9).startsWith(address) ? new LinkedHashMap<>() : null;
            if (c == null) continue;
            if (s.equals("}")) return c;
            int colon = s.indexOf(": ");
            if (colon > 0) c.put(s.substring(0, colon), s.substring(colon + 2));
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> ours(ProxyUnderTest p, String address) {
        Object dump = ProxyRpc.registry(p.proxy().functions(), Instant.now()).call("ul.dump", List.of());
        for (Object d : (List<Object>) ((Map<String, Object>) dump).get("Domains")) {
            Map<String, Object> dom = (Map<String, Object>) ((RpcMember) d).value();
            for (Object a : (List<Object>) dom.get("AoRs")) {
                Map<String, Object> info = (Map<String, Object>) ((RpcMember) a).value();
                for (Object c : (List<Object>) info.get("Contacts")) {
                    Map<String, Object> fields = (Map<String, Object>) ((RpcMember) c).value();
                    if (!String.valueOf(fields.get("Address")).startsWith(address)) continue;
                    Map<String, String> out = new LinkedHashMap<>();
                    fields.forEach((k, v) -> out.put(k, v instanceof RpcUnsigned u ? Integer.toString(u.bits()) // as kamcmd shows it
                            : v instanceof Double q && q == Math.floor(q) ? Long.toString(q.longValue())
                            : v instanceof Double q ? String.format("%.6f", q) : String.valueOf(v)));
                    return out;
                }
            }
        }
        return null;
    }
}
