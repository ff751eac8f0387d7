package dev.kemi.runtime.modules.permissions;

import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.usrloc.CoreHash;
import dev.kemi.runtime.rpc.SrJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded generation of the address table, split as Kamailio splits it: single addresses
 * (mask /32 or /128) in a 128-bucket hash by the first 4 address bytes, subnets in a list
 * ordered by group (at most max_subnets), and names that are not IP literals in a hash by name.
 * Immutable once built; a reload builds a new one and swaps it in.
 */
final class AddressTables {
    static final int HASH_SIZE = 128;

    record Entry(int grp, IpAddr ip, String domain, int mask, int port, String tag) {
        boolean portMatches(int p) {
            return port == 0 || port == p;
        }
    }

    /** Newest first in each bucket, as Kamailio prepends. */
    private final List<List<Entry>> addresses = buckets();
    private final List<List<Entry>> domains = buckets();
    private final List<Entry> subnets = new ArrayList<>();
    private final int maxSubnets;

    AddressTables(int maxSubnets) {
        this.maxSubnets = maxSubnets;
    }

    private static List<List<Entry>> buckets() {
        List<List<Entry>> l = new ArrayList<>(HASH_SIZE);
        for (int i = 0; i < HASH_SIZE; i++) l.add(new ArrayList<>(0));
        return l;
    }

    static int hash(IpAddr ip) {
        return CoreHash.of(Arrays.copyOf(ip.bytes(), 4)) & (HASH_SIZE - 1);
    }

    static int hash(String s) {
        return CoreHash.of(s.getBytes(StandardCharsets.UTF_8)) & (HASH_SIZE - 1);
    }

    /**
     * reload_address_insert: an IP literal with a full mask (0 counts as full) goes to the hash,
     * with a shorter one to the subnets, anything else to the names.
     *
     * @throws IllegalArgumentException for a mask out of range (the reload fails)
     */
    void insert(int grp, String ips, int mask, int port, String tag) {
        IpAddr ip = IpAddr.parse(ips);
        if (ip == null) {
            domains.get(hash(ips)).addFirst(new Entry(grp, null, ips, mask, port, tag));
            return;
        }
        int bits = ip.bytes().length * 8;
        if (mask < 0 || mask > bits) throw new IllegalArgumentException("invalid mask " + mask + " for " + ips);
        if (mask == 0) mask = bits;
        if (mask == bits) {
            addresses.get(hash(ip)).addFirst(new Entry(grp, ip, null, mask, port, tag));
            return;
        }
        if (subnets.size() >= maxSubnets) {
            ScriptLog.log(ScriptLog.CRIT, "permissions: subnet table is full");
            return;
        }
        int i = subnets.size();
        while (i > 0 && subnets.get(i - 1).grp() > grp) i--;
        subnets.add(i, new Entry(grp, ip, null, mask, port, tag));
    }

    /** match_addr_hash_table, then match_subnet_table: the matching entry of that group, or null. */
    Entry match(int grp, IpAddr ip, int port) {
        for (Entry e : addresses.get(hash(ip))) {
            if (e.grp() == grp && e.portMatches(port) && e.ip().equals(ip)) return e;
        }
        for (Entry e : subnets) {
            if (e.grp() < grp) continue;
            if (e.grp() > grp) break;
            if (e.portMatches(port) && ip.inNet(e.ip(), e.mask())) return e;
        }
        return null;
    }

    /** The first entry of any group (hash first, then subnets in group order), or null. */
    Entry find(IpAddr ip, int port) {
        for (Entry e : addresses.get(hash(ip))) {
            if (e.portMatches(port) && e.ip().equals(ip)) return e;
        }
        for (Entry e : subnets) {
            if (e.portMatches(port) && ip.inNet(e.ip(), e.mask())) return e;
        }
        return null;
    }

    Entry matchDomain(int grp, String name, int port) {
        for (Entry e : domains.get(hash(name))) {
            if (e.grp() == grp && e.portMatches(port) && e.domain().equals(name)) return e;
        }
        return null;
    }

    Entry findDomain(String name, int port) {
        for (Entry e : domains.get(hash(name))) {
            if (e.portMatches(port) && e.domain().equals(name)) return e;
        }
        return null;
    }

    /** permissions.addressDump: one struct per address, bucket by bucket. */
    List<Object> dumpAddresses() {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < HASH_SIZE; i++) {
            for (Entry e : addresses.get(i)) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("ip", e.ip().toString());
                item.put("port", e.port());
                item.put("tag", e.tag() == null || e.tag().isEmpty() ? "NULL" : e.tag());
                out.add(struct("table", i, e.grp(), item));
            }
        }
        return out;
    }

    /** permissions.subnetDump: one struct per subnet, in table order. */
    List<Object> dumpSubnets() {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < subnets.size(); i++) {
            Entry e = subnets.get(i);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("ip", e.ip().toString());
            item.put("mask", e.mask());
            item.put("port", e.port());
            item.put("tag", e.tag() == null ? "" : e.tag());
            out.add(struct("id", i, e.grp(), item));
        }
        return out;
    }

    /** permissions.domainDump: one struct holding every name (the members repeat, as in Kamailio). */
    SrJson.Obj dumpDomains() {
        List<SrJson.Member> members = new ArrayList<>();
        for (int i = 0; i < HASH_SIZE; i++) {
            for (Entry e : domains.get(i)) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("domain_name", e.domain());
                item.put("port", e.port());
                item.put("tag", e.tag() == null || e.tag().isEmpty() ? "NULL" : e.tag());
                members.add(new SrJson.Member("table", i));
                members.add(new SrJson.Member("group", e.grp()));
                members.add(new SrJson.Member("item", item));
            }
        }
        return new SrJson.Obj(members);
    }

    private static Map<String, Object> struct(String indexName, int index, int grp, Map<String, Object> item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(indexName, index);
        m.put("group", grp);
        m.put("item", item);
        return m;
    }
}
