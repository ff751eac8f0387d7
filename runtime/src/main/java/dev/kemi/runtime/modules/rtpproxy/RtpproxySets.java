package dev.kemi.runtime.modules.rtpproxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The relay sets from {@code modparam("rtpproxy", "rtpproxy_sock", "[N ==] url[=weight] ...")}. */
final class RtpproxySets {

    record NodeSet(int id, List<RtpproxyNode> nodes) { }

    private final Map<Integer, NodeSet> sets = new LinkedHashMap<>();

    /** Adds the nodes of one modparam value; set 0 when no "N ==" prefix. */
    void add(String value) {
        String text = value.strip();
        if (text.isEmpty()) {
            return;
        }
        int id = 0;
        int eq = text.indexOf("==");
        if (eq >= 0) {
            String idText = text.substring(0, eq).strip();
            text = text.substring(eq + 2).strip();
            if (idText.isEmpty() || text.isEmpty()) {
                throw new IllegalArgumentException("invalid rtpproxy set: " + value);
            }
            try {
                id = Integer.parseInt(idText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rtpproxy set id must be an integer: " + value);
            }
        }
        NodeSet set = sets.computeIfAbsent(id, k -> new NodeSet(k, new ArrayList<>()));
        for (String token : text.split("\\s+")) {
            int weight = 1;
            String url = token;
            int w = token.indexOf('=');
            if (w >= 0) {
                url = token.substring(0, w);
                weight = parseUnsigned(token.substring(w + 1));
            }
            set.nodes().add(new RtpproxyNode(url, weight));
        }
    }

    NodeSet get(int id) {
        return sets.get(id);
    }

    NodeSet defaultSet() {
        return sets.get(0);
    }

    List<RtpproxyNode> allNodes() {
        List<RtpproxyNode> out = new ArrayList<>();
        sets.values().forEach(s -> out.addAll(s.nodes()));
        return out;
    }

    boolean isEmpty() {
        return sets.isEmpty();
    }

    /** strtoul-like: leading digits, 0 if none. */
    private static int parseUnsigned(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
