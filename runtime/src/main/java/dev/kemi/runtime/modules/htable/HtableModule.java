package dev.kemi.runtime.modules.htable;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import com.google.re2j.Pattern;

/** htable: named in-memory tables of this proxy ($sht ...), items expiring after autoexpire seconds. */
@Module(value = "htable", loadName = "htable")
public final class HtableModule implements RuntimeModule, PvExports, RpcProvider {
    private static final DateTimeFormatter RPC_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int STR_FLAG = 2; // Kamailio's AVP_VAL_STR

    private final Map<String, HashTable> tables = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private int timerInterval = 20;
    private ScheduledFuture<?> sweeper;

    public HtableModule() {
        this(System::currentTimeMillis);
    }

    HtableModule(LongSupplier clock) {
        this.clock = clock;
    }

    /** "name=>size=8;autoexpire=300;initval=0;updateexpire=1", as ht_table_spec parses it. */
    @Param("htable")
    public void htable(String spec) {
        int arrow = spec.indexOf("=>");
        String name = (arrow < 0 ? spec : spec.substring(0, arrow)).trim();
        if (name.isEmpty()) throw new IllegalArgumentException("invalid htable parameter [" + spec + "]: no name");
        if (tables.containsKey(name)) throw new IllegalArgumentException("htable already configured [" + name + "]");
        int size = 4, autoexpire = 0;
        Integer initval = null;
        boolean updateexpire = true;
        if (arrow >= 0) {
            for (String kv : spec.substring(arrow + 2).split(";")) {
                if (kv.isBlank()) continue;
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("invalid htable parameter [" + spec + "]");
                String k = kv.substring(0, eq).trim(), v = kv.substring(eq + 1).trim();
                switch (k) {
                    case "size" -> size = nonNegative(v, spec);
                    case "autoexpire" -> autoexpire = nonNegative(v, spec);
                    case "initval" -> initval = integer(v, spec);
                    case "updateexpire" -> updateexpire = nonNegative(v, spec) != 0;
                    case "dmqreplicate" -> {
                        if (nonNegative(v, spec) != 0) throw new IllegalArgumentException("htable " + name + ": dmqreplicate is not supported (no dmq module)");
                    }
                    case "dbtable", "dbmode", "cols" -> throw new IllegalArgumentException(
                            "htable " + name + ": " + k + " is not supported yet (no DB load/save); remove it or keep the table in memory only");
                    default -> throw new IllegalArgumentException("invalid htable parameter [" + spec + "]: unknown attribute " + k);
                }
            }
        }
        tables.put(name, new HashTable(name, size, autoexpire, initval, updateexpire, clock));
    }

    @Param("timer_interval")
    public void timerInterval(int seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("timer_interval must be > 0");
        timerInterval = seconds;
    }

    private static int integer(String v, String spec) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid htable parameter [" + spec + "]: " + v + " is not a number");
        }
    }

    private static int nonNegative(String v, String spec) {
        int n = integer(v, spec);
        if (n < 0) throw new IllegalArgumentException("invalid htable parameter [" + spec + "]: " + v + " is negative");
        return n;
    }

    HashTable table(String name) {
        return tables.get(name);
    }

    @Override
    public void init(ProxyServices services) {
        if (tables.values().stream().anyMatch(t -> t.autoexpire > 0)) {
            sweeper = services.timers().scheduleWithFixedDelay(this::expireAll, timerInterval, timerInterval, TimeUnit.SECONDS);
        }
    }

    @Override
    public void shutdown() {
        if (sweeper != null) sweeper.cancel(false);
    }

    void expireAll() {
        tables.values().forEach(HashTable::expire);
    }

    // ---- pseudo-variables
    @Override
    public Set<String> pvNames() {
        return Set.of("sht", "shtex", "shtinc", "shtdec", "shtcn", "shtcv");
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        return HtablePv.parse(this, spec);
    }

    // ---- script functions (all ANY_ROUTE in 5.6.3)
    private HashTable known(String name) {
        HashTable t = tables.get(name);
        if (t == null) ScriptLog.log(ScriptLog.ERR, "htable: cannot get hash table [" + name + "]");
        return t;
    }

    @Export(kemiOnly = true)
    public Object sht_get(MessageContext ctx, String table, String key) {
        HashTable t = known(table);
        return t == null ? null : t.get(key);
    }

    @Export(kemiOnly = true)
    public Object sht_gete(MessageContext ctx, String table, String key) {
        Object v = sht_get(ctx, table, key);
        return v == null ? "" : v;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int sht_sets(MessageContext ctx, String table, String key, String value) {
        HashTable t = known(table);
        if (t == null) return -1;
        t.set(key, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int sht_seti(MessageContext ctx, String table, String key, int value) {
        HashTable t = known(table);
        if (t == null) return -1;
        t.set(key, value);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int sht_setex(MessageContext ctx, String table, String key, int expire) {
        HashTable t = known(table);
        if (t == null) return -1;
        t.setExpiry(key, expire);
        return 1;
    }

    /** Sets a string item with its own expiry (seconds). */
    @Export(natives = "sht_setxs", returns = {1, -1})
    public int sht_setxs(MessageContext ctx, String table, String key, String value, int expire) {
        return setx(table, key, value, expire);
    }

    @Export(natives = "sht_setxi", returns = {1, -1})
    public int sht_setxi(MessageContext ctx, String table, String key, int value, int expire) {
        return setx(table, key, value, expire);
    }

    private int setx(String table, String key, Object value, int expire) {
        HashTable t = known(table);
        if (t == null) return -1;
        t.set(key, value);
        t.setExpiry(key, expire);
        return 1;
    }

    @Export(natives = "sht_rm", returns = {1, -1})
    public int sht_rm(MessageContext ctx, String table, String key) {
        HashTable t = known(table);
        if (t == null) return -1;
        t.remove(key);
        return 1;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int sht_rm_name_re(MessageContext ctx, String table, String re) {
        return removeMatching(table, re, false);
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int sht_rm_value_re(MessageContext ctx, String table, String re) {
        return removeMatching(table, re, true);
    }

    /** Native form of sht_rm_name_re / sht_rm_value_re: one "table=>regexp" parameter. */
    @Export(natives = "sht_rm_name_re", nativeOnly = true, returns = {1, -1})
    public int sht_rm_name_re(MessageContext ctx, String tableRe) {
        String[] tr = splitArrow(tableRe);
        return tr == null ? -1 : removeMatching(tr[0], tr[1], false);
    }

    @Export(natives = "sht_rm_value_re", nativeOnly = true, returns = {1, -1})
    public int sht_rm_value_re(MessageContext ctx, String tableRe) {
        String[] tr = splitArrow(tableRe);
        return tr == null ? -1 : removeMatching(tr[0], tr[1], true);
    }

    @Export(natives = {"sht_match_name", "sht_has_name"}, returns = {1, -1})
    public int sht_match_name(MessageContext ctx, String table, String op, String value) {
        return match(table, op, value, false);
    }

    @Export(natives = {"sht_match_str_value", "sht_has_str_value"}, returns = {1, -1})
    public int sht_match_str_value(MessageContext ctx, String table, String op, String value) {
        return match(table, op, value, true);
    }

    private int match(String table, String op, String value, boolean byValue) {
        HashTable t = known(table);
        if (t == null || op.isEmpty() || value.isEmpty()) return -1;
        try {
            return t.anyMatches(op, value, byValue) ? 1 : -1;
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.WARN, "htable: " + e.getMessage());
            return -1;
        }
    }

    private static String[] splitArrow(String s) {
        int a = s.indexOf("=>");
        if (a <= 0) {
            ScriptLog.log(ScriptLog.ERR, "htable: invalid parameter [" + s + "], expected table=>regexp");
            return null;
        }
        return new String[] {s.substring(0, a).trim(), s.substring(a + 2).trim()};
    }

    private int removeMatching(String table, String re, boolean byValue) {
        HashTable t = known(table);
        if (t == null) return -1;
        try {
            t.removeMatching(dev.kemi.runtime.modules.PosixRegex.compile(re, Pattern.CASE_INSENSITIVE | Pattern.MULTILINE), byValue);
            return 1;
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "htable: bad regular expression [" + re + "]");
            return -1;
        }
    }

    @Export(kemiOnly = true, intValue = true)
    public int sht_inc(MessageContext ctx, String table, String key) {
        return incBy(table, key, 1);
    }

    @Export(kemiOnly = true, intValue = true)
    public int sht_dec(MessageContext ctx, String table, String key) {
        return incBy(table, key, -1);
    }

    /** The new value; Kamailio's KEMI returns INT_MIN when the item cannot be incremented. */
    private int incBy(String table, String key, int delta) {
        HashTable t = known(table);
        Integer v = t == null ? null : t.add(key, delta);
        return v == null ? Integer.MIN_VALUE : v;
    }

    @Export(kemiOnly = true, returns = {1, -1})
    public int sht_is_null(MessageContext ctx, String table, String key) {
        HashTable t = known(table);
        return t == null || t.cell(key) == null ? 1 : -1;
    }

    @Export(natives = "sht_reset", returns = {1, -1})
    public int sht_reset(MessageContext ctx, String table) {
        HashTable t = known(table);
        if (t == null) return -1;
        t.reset();
        return 1;
    }

    // ---- RPC
    @Override
    public void registerRpc(RpcRegistry r) {
        r.register("htable.get", this::rpcGet);
        r.register("htable.sets", p -> rpcSet(p, false));
        r.register("htable.seti", p -> rpcSet(p, true));
        r.register("htable.delete", this::rpcDelete);
        r.register("htable.setex", this::rpcSetex);
        r.register("htable.dump", this::rpcDump);
        r.register("htable.reset", p -> {
            rpcTable(p, "No htable name given").reset();
            return null;
        });
        r.register("htable.listTables", p -> listTables());
    }

    private static String str(List<Object> p, int i, String fault) {
        if (p.size() <= i || p.get(i) == null) throw new RpcException(500, fault);
        return p.get(i).toString();
    }

    private HashTable rpcTable(List<Object> p, String fault) {
        HashTable t = tables.get(str(p, 0, fault));
        if (t == null) throw new RpcException(500, "No such htable");
        return t;
    }

    private Object rpcGet(List<Object> p) {
        String fault = "Not enough parameters (htable name and key name)";
        HashTable t = rpcTable(p, fault);
        String key = str(p, 1, fault);
        HashTable.Cell c = t.cell(key);
        if (c == null) throw new RpcException(500, "Key name doesn't exist in htable.");
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", key);
        item.put("value", c.value());
        item.put("flags", c.value() instanceof String ? STR_FLAG : 0);
        item.put("expire", c.expires() == 0 ? "NEVER" : RPC_DATE.format(Instant.ofEpochMilli(c.expires())));
        return Map.of("item", item);
    }

    private Object rpcSet(List<Object> p, boolean integer) {
        String fault = "Not enough parameters (htable name, key name and value)";
        HashTable t = rpcTable(p, fault);
        String key = str(p, 1, fault);
        String v = str(p, 2, fault);
        Object value;
        if (integer) {
            try {
                value = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new RpcException(400, "Invalid parameters");
            }
        } else {
            value = v;
        }
        t.set(key, value);
        return "Ok. Key set to new value.";
    }

    private Object rpcDelete(List<Object> p) {
        String fault = "Not enough parameters (htable name & key name";
        HashTable t = rpcTable(p, fault);
        if (!t.remove(str(p, 1, fault))) throw new RpcException(404, "Key not found in htable.");
        return "Ok. Key deleted.";
    }

    /**
     * A new expiry for an item, in seconds from now (0: never), as ht_set_cell_expire: only on
     * an autoexpire table and only for integer items; otherwise "Ok" with nothing changed.
     */
    private Object rpcSetex(List<Object> p) {
        String fault = "Not enough parameters (htable name, item name and expire)";
        HashTable t = rpcTable(p, fault);
        String key = str(p, 1, fault);
        int seconds;
        try {
            seconds = Integer.parseInt(str(p, 2, fault).trim());
        } catch (NumberFormatException e) {
            throw new RpcException(400, "Invalid parameters");
        }
        HashTable.Cell c = t.cell(key);
        if (t.autoexpire > 0 && c != null && !(c.value() instanceof String)) t.setExpiry(key, seconds);
        return "Ok";
    }

    /** One struct per non-empty slot: entry, size, slot = [{name, value, type}]. */
    private Object rpcDump(List<Object> p) {
        HashTable t = rpcTable(p, "No htable name given");
        Map<Integer, List<Map<String, Object>>> bySlot = new TreeMap<>();
        t.snapshot().forEach((k, c) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", k);
            item.put("value", c.value());
            item.put("type", c.value() instanceof String ? "str" : "int");
            bySlot.computeIfAbsent(t.slotOf(k), s -> new ArrayList<>()).add(item);
        });
        List<Object> out = new ArrayList<>();
        bySlot.forEach((slot, items) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("entry", slot);
            e.put("size", items.size());
            e.put("slot", items);
            out.add(e);
        });
        return out;
    }

    private Object listTables() {
        List<Object> out = new ArrayList<>();
        for (HashTable t : new TreeMap<>(tables).values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.name);
            e.put("dbtable", "");
            e.put("dbmode", 0);
            e.put("expire", t.autoexpire);
            e.put("updateexpire", t.updateexpire ? 1 : 0);
            e.put("size", t.slots);
            e.put("dmqreplicate", 0);
            out.add(e);
        }
        return out;
    }
}
