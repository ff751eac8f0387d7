package dev.kemi.runtime.modules.rtpengine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sets of {@code modparam("rtpengine", "rtpengine_sock", "[N ==] url[=weight] ...")}. */
final class EngineSets {

    record EngineSet(int id, List<EngineNode> nodes) { }

    private final Map<Integer, EngineSet> sets = new LinkedHashMap<>();
    /** The modparam values, parsed once setid_default is known (at init), as Kamailio does. */
    private final List<String> pending = new ArrayList<>();

    void store(String value) {
        if (value != null && !value.isEmpty()) {
            pending.add(value);
        }
    }

    /**
     * @throws IllegalArgumentException for an invalid set id or an empty list
     */
    void build(int defaultSetId) {
        for (String value : pending) {
            add(value, defaultSetId);
        }
        pending.clear();
    }

    private void add(String value, int defaultSetId) {
        String text = value.strip();
        if (text.isEmpty()) {
            return;
        }
        int id = defaultSetId;
        int eq = text.indexOf("==");
        if (eq >= 0) {
            String idText = text.substring(0, eq).strip();
            text = text.substring(eq + 2).strip();
            if (text.isEmpty() && value.endsWith("==")) {
                throw new IllegalArgumentException("rtpengine: invalid rtpengine list: " + value);
            }
            try {
                id = Integer.parseInt(idText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rtpengine: invalid set_id value: " + value);
            }
            if (id < 0) {
                throw new IllegalArgumentException("rtpengine: invalid set_id value: " + value);
            }
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("rtpengine: empty rtp_proxy list: " + value);
        }
        EngineSet set = sets.computeIfAbsent(id, k -> new EngineSet(k, new ArrayList<>()));
        for (String token : text.split("\\s+")) {
            int weight = 1;
            String url = token;
            int w = token.indexOf('=');
            if (w >= 0) {
                url = token.substring(0, w);
                weight = leadingDigits(token.substring(w + 1));
            }
            EngineNode node = EngineNode.parse(url, weight);
            // the same URL again in a set updates it (Kamailio's get_rtpp_node)
            int at = -1;
            for (int i = 0; i < set.nodes().size(); i++) {
                if (set.nodes().get(i).url.equals(node.url)) {
                    at = i;
                }
            }
            if (at >= 0) {
                set.nodes().set(at, node);
            } else {
                set.nodes().add(node);
            }
        }
    }

    EngineSet get(int id) {
        return sets.get(id);
    }

    List<EngineNode> allNodes() {
        List<EngineNode> out = new ArrayList<>();
        sets.values().forEach(s -> out.addAll(s.nodes()));
        return out;
    }

    private static int leadingDigits(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
