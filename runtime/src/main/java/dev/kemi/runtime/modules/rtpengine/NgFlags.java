package dev.kemi.runtime.modules.rtpengine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flags string of rtpengine_offer/answer/... turned into ng dictionary entries, as
 * Kamailio 5.6.3's parse_flags does: sub-lists (replace, SDES, T.38, rtcp-mux, codec-*), the
 * transport protocol bits, the keys Kamailio consumes itself (call-id, from-tag, to-tag,
 * via-branch, force-answer ...) and everything else passed through ("flag" into "flags",
 * "key=value" as a string entry).
 */
final class NgFlags {

    private static final Logger LOG = LoggerFactory.getLogger(NgFlags.class);

    /** Via-branch choice: 0 none, 1/2 that Via, 3 auto, -1 extra, -2 next, -3 auto-next, -4 auto-extra. */
    int via;
    String callId;
    String fromTag;
    String toTag;
    boolean to;
    boolean directional;
    int transport;
    Op op;

    /** Entries in the order Kamailio adds them (before the lists). */
    final Map<String, Object> dict;
    final List<Object> flags = new ArrayList<>();
    /** Null outside offer/answer: Kamailio drops those items there. */
    final List<Object> direction;
    final List<Object> replace;
    final List<Object> rtcpMux;
    final List<Object> sdes;
    final List<Object> t38;
    final Map<String, Object> codec;

    NgFlags(Map<String, Object> dict, Op op) {
        this.dict = dict;
        this.op = op;
        boolean media = op == Op.OFFER || op == Op.ANSWER;
        direction = media ? new ArrayList<>() : null;
        replace = media ? new ArrayList<>() : null;
        rtcpMux = media ? new ArrayList<>() : null;
        sdes = media ? new ArrayList<>() : null;
        t38 = media ? new ArrayList<>() : null;
        codec = media ? new LinkedHashMap<>() : null;
        to = op != Op.DELETE;
    }

    /** False (after logging) for a flag Kamailio refuses. */
    boolean parse(String text) {
        if (text == null) {
            return true;
        }
        int p = 0;
        int n = text.length();
        while (true) {
            while (p < n && text.charAt(p) == ' ') {
                p++;
            }
            int keyStart = p;
            int e = keyStart;
            while (e < n && text.charAt(e) != ' ' && text.charAt(e) != '=') {
                e++;
            }
            String key = text.substring(keyStart, e);
            String val = null;
            if (e < n && text.charAt(e) == '=') {
                int vs = e + 1;
                e = text.indexOf(' ', vs);
                if (e < 0) {
                    e = n;
                }
                val = text.substring(vs, e);
            }
            if (key.isEmpty()) {
                break;
            }
            String err = item(key, val);
            if (err != null) {
                if (val != null) {
                    LOG.error("error processing flag `{}' (value '{}'): {}", key, val, err);
                } else {
                    LOG.error("error processing flag `{}': {}", key, err);
                }
                return false;
            }
            p = e;
        }
        return true;
    }

    /** One flag; an error text, or null. */
    private String item(String key, String val) {
        String s;
        if ((s = keyValPrefix(key, "replace", val)) != null) {
            add(replace, s);
            return null;
        }
        if ((s = keyValPrefix(key, "SDES", val)) != null) {
            add(sdes, s);
            return null;
        }
        if ((s = keyValPrefix(key, "T38", val)) != null || (s = keyValPrefix(key, "T.38", val)) != null) {
            add(t38, s);
            return null;
        }
        if ((s = keyValPrefix(key, "rtcp-mux", val)) != null) {
            add(rtcpMux, s);
            return null;
        }
        if (codecFlag(key, val, "transcode", "codec-transcode", "transcode")
                || codecFlag(key, val, "codec-strip", null, "strip")
                || codecFlag(key, val, "codec-offer", null, "offer")
                || codecFlag(key, val, "codec-mask", null, "mask")
                || codecFlag(key, val, "codec-set", null, "set")
                || codecFlag(key, val, "codec-except", null, "except")) {
            return null;
        }
        boolean bare = val == null;
        switch (key) {
            case "RTP" -> {
                if (bare) {
                    transport = (transport | 0x100) & ~0x001;
                    return null;
                }
            }
            case "AVP" -> {
                if (bare) {
                    transport = (transport | 0x100) & ~0x002;
                    return null;
                }
            }
            case "TOS" -> {
                if (!bare) {
                    dict.put("TOS", (long) atoi(val));
                    return null;
                }
            }
            case "SRTP" -> {
                if (bare) {
                    transport |= 0x101;
                    return null;
                }
            }
            case "AVPF" -> {
                if (bare) {
                    transport |= 0x102;
                    return null;
                }
            }
            case "DTLS" -> {
                if (bare) {
                    transport |= 0x104;
                    return null;
                }
            }
            case "to-tag" -> {
                if (val != null) {
                    toTag = val;
                }
                to = true;
                return null;
            }
            case "RTP/AVP" -> {
                if (bare) {
                    transport = 0x100;
                    return null;
                }
            }
            case "call-id" -> {
                if (val == null) {
                    return "missing value";
                }
                callId = val;
                return null;
            }
            case "internal", "external" -> {
                add(direction, key);
                return null;
            }
            case "RTP/AVPF" -> {
                if (bare) {
                    transport = 0x102;
                    return null;
                }
            }
            case "RTP/SAVP" -> {
                if (bare) {
                    transport = 0x101;
                    return null;
                }
            }
            case "from-tag" -> {
                if (val == null) {
                    return "missing value";
                }
                fromTag = val;
                directional = true;
                return null;
            }
            case "RTP/SAVPF" -> {
                if (bare) {
                    transport = 0x103;
                    return null;
                }
            }
            case "direction" -> {
                if (val != null) {
                    add(direction, val);
                }
                return null;
            }
            case "via-branch" -> {
                return viaBranch(val);
            }
            case "repacketize" -> {
                if (val == null) {
                    return "missing value";
                }
                int packetize = leadingDigits(val);
                if (packetize == 0) {
                    return "invalid value";
                }
                dict.put("repacketize", (long) packetize);
                return null;
            }
            case "directional" -> {
                directional = true;
                return null;
            }
            case "force-answer" -> {
                if (op != Op.OFFER) {
                    return "cannot force answer in non-offer command";
                }
                op = Op.ANSWER;
                return null;
            }
            case "delete-delay" -> {
                // Kamailio adds the integer and then, falling through, the flag as given too
                if (val != null) {
                    dict.put("delete delay", (long) atoi(val));
                }
            }
            case "UDP/TLS/RTP/SAVP" -> {
                if (bare) {
                    transport = 0x104;
                    return null;
                }
            }
            case "UDP/TLS/RTP/SAVPF" -> {
                if (bare) {
                    transport = 0x106;
                    return null;
                }
            }
            default -> {
                // passed through below
            }
        }
        if (val == null) {
            flags.add(key);
        } else {
            dict.put(key, val);
        }
        return null;
    }

    private String viaBranch(String val) {
        if (val == null) {
            return "missing value";
        }
        if (!val.isEmpty() && (val.charAt(0) == '1' || val.charAt(0) == '2')) {
            via = val.charAt(0) - '0';
        } else if (val.equals("auto")) {
            via = 3;
        } else if (val.equals("extra")) {
            via = -1;
        } else if (val.equals("next")) {
            via = -2;
        } else if (val.equals("auto-next") || val.equals("next-auto")) {
            via = -3;
        } else if (val.equals("auto-extra") || val.equals("extra-auto")) {
            via = -4;
        } else {
            return "invalid value";
        }
        return null;
    }

    /** The lists and transport, in Kamailio's order, each only when it has items. */
    void addCollected() {
        putIfAny("direction", direction);
        putIfAny("flags", flags);
        putIfAny("replace", replace);
        if (codec != null && !codec.isEmpty()) {
            dict.put("codec", codec);
        }
        if ((transport & 0x100) != 0) {
            String proto = transportName(transport & 0x007);
            if (proto != null) {
                dict.put("transport-protocol", proto);
            }
        }
        putIfAny("rtcp-mux", rtcpMux);
        putIfAny("SDES", sdes);
        putIfAny("T.38", t38);
    }

    /** Kamailio's transports[] table; 5 and 7 have no name there and nothing is sent. */
    private static String transportName(int bits) {
        return switch (bits) {
            case 0 -> "RTP/AVP";
            case 1 -> "RTP/SAVP";
            case 2 -> "RTP/AVPF";
            case 3 -> "RTP/SAVPF";
            case 4 -> "UDP/TLS/RTP/SAVP";
            case 6 -> "UDP/TLS/RTP/SAVPF";
            default -> null;
        };
    }

    private void putIfAny(String key, List<Object> list) {
        if (list != null && !list.isEmpty()) {
            dict.put(key, list);
        }
    }

    @SuppressWarnings("unchecked")
    private boolean codecFlag(String key, String val, String cmp1, String cmp2, String name) {
        String s = keyValPrefix(key, cmp1, val);
        if (s == null && cmp2 != null) {
            s = keyValPrefix(key, cmp2, val);
        }
        if (s == null) {
            return false;
        }
        if (codec != null) {
            ((List<Object>) codec.computeIfAbsent(name, k -> new ArrayList<>())).add(s);
        }
        return true;
    }

    private static void add(List<Object> list, String s) {
        if (list != null) {
            list.add(s);
        }
    }

    /** Kamailio's str_key_val_prefix: "foo=bar" or "foo-bar" give "bar"; null when neither. */
    static String keyValPrefix(String key, String prefix, String val) {
        if (key.equals(prefix)) {
            return val == null || val.isEmpty() ? null : val;
        }
        if (!key.startsWith(prefix)) {
            return null;
        }
        String rest = key.substring(prefix.length());
        if (rest.length() < 2 || rest.charAt(0) != '-') {
            return null;
        }
        return rest.substring(1);
    }

    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return (int) (neg ? -v : v);
    }

    private static int leadingDigits(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
