package dev.kemi.runtime.modules.permissions;

import com.google.re2j.Pattern;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.rpc.SrJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One loaded generation of the trusted table (db_mode 1): entries hashed by the src_ip text into
 * 128 buckets, each bucket kept by descending priority (equal priorities in load order), as
 * Kamailio's hash_table_insert keeps them. Immutable once built.
 */
final class TrustedTable {
    /** Kamailio's PROTO_* numbers, which trustedDump prints. */
    static final int ANY = 0, UDP = 1, TCP = 2, TLS = 3, SCTP = 4, WS = 5, WSS = 6;

    /** A pattern that did not compile is kept as text and matches nothing. */
    record Entry(String srcIp, int proto, String pattern, Pattern from, String ruriPattern, Pattern ruri, String tag, int priority) {}

    private final List<List<Entry>> buckets = new ArrayList<>(AddressTables.HASH_SIZE);

    TrustedTable() {
        for (int i = 0; i < AddressTables.HASH_SIZE; i++) buckets.add(new ArrayList<>(0));
    }

    /** The PROTO_ number of a trusted-table proto word; -1 for "none" (the row is skipped), -2 unknown. */
    static int proto(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "any" -> ANY;
            case "udp" -> UDP;
            case "tcp" -> TCP;
            case "tls" -> TLS;
            case "sctp" -> SCTP;
            case "ws" -> WS;
            case "wss" -> WSS;
            case "none" -> -1;
            default -> -2;
        };
    }

    /** @throws IllegalArgumentException for an unknown protocol (the reload fails) */
    void insert(String srcIp, String protoWord, String pattern, String ruriPattern, String tag, int priority) {
        int p = proto(protoWord);
        if (p == -1) return;
        if (p == -2) throw new IllegalArgumentException("unknown protocol " + protoWord);
        Entry e = new Entry(srcIp, p, pattern, compile(pattern), ruriPattern, compile(ruriPattern), tag, priority);
        List<Entry> b = buckets.get(AddressTables.hash(srcIp));
        int i = 0;
        while (i < b.size() && b.get(i).priority() >= priority) i++;
        b.add(i, e);
    }

    static Pattern compile(String bre) {
        if (bre == null) return null;
        try {
            return BasicRegex.compile(bre);
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "permissions: invalid regular expression: " + bre);
            return null;
        }
    }

    /** The entries for this source address and protocol (ANY on either side matches), in bucket order. */
    List<Entry> candidates(String srcIp, int proto) {
        List<Entry> out = new ArrayList<>(2);
        for (Entry e : buckets.get(AddressTables.hash(srcIp))) {
            if (e.srcIp().equals(srcIp) && (e.proto() == ANY || proto == ANY || e.proto() == proto)) out.add(e);
        }
        return out;
    }

    /** permissions.trustedDump: one struct whose "table"/"item" members repeat per entry, as Kamailio adds them. */
    SrJson.Obj dump() {
        List<SrJson.Member> members = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            for (Entry e : buckets.get(i)) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("ip", e.srcIp());
                item.put("proto", e.proto());
                item.put("pattern", e.pattern() == null ? "NULL" : e.pattern());
                item.put("ruri_pattern", e.ruriPattern() == null ? "NULL" : e.ruriPattern());
                item.put("tag", e.tag() == null || e.tag().isEmpty() ? "NULL" : e.tag());
                item.put("priority", e.priority());
                members.add(new SrJson.Member("table", i));
                members.add(new SrJson.Member("item", item));
            }
        }
        return new SrJson.Obj(members);
    }
}
