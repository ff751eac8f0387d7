package dev.kemi.runtime.modules.htable;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.modules.pv.PvFormat;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.pv.StandardPvs;

/** $sht, $shtex, $shtinc, $shtdec, $shtcn, $shtcv (t=>k): the key is a format printed per message. */
final class HtablePv implements Pv {
    private final String kind;
    private final HashTable table;
    private final String keyFormat;
    private volatile PvFormat key;

    private HtablePv(String kind, HashTable table, String keyFormat) {
        this.kind = kind;
        this.table = table;
        this.keyFormat = keyFormat;
    }

    /** The key format, resolved with the proxy's PVs (its $var) on first use. */
    private String key(ScriptContext ctx) {
        PvFormat f = key;
        if (f == null) key = f = new PvFormat(keyFormat, PvModule.providerOf(((dev.kemi.runtime.core.MessageContext) ctx).services()));
        return f.print(ctx);
    }

    static HtablePv parse(HtableModule module, PvSpec spec) {
        String p = spec.param();
        int arrow = p == null ? -1 : p.indexOf("=>");
        if (arrow <= 0) throw new IllegalArgumentException("invalid $" + spec.name() + " name: expected table=>key");
        String t = p.substring(0, arrow).trim();
        HashTable table = module.table(t);
        if (table == null) throw new IllegalArgumentException("$" + spec.name() + ": no htable " + t + " (modparam htable)");
        String keyFormat = p.substring(arrow + 2).trim();
        new PvFormat(keyFormat, new StandardPvs()); // fails here, at parse time, for a bad key format
        return new HtablePv(spec.name(), table, keyFormat);
    }

    @Override
    public Object get(ScriptContext ctx) {
        String k = key(ctx);
        return switch (kind) {
            case "shtex" -> table.expiresIn(k);
            case "shtinc" -> table.add(k, 1);
            case "shtdec" -> table.add(k, -1);
            case "shtcn", "shtcv" -> count(k);
            default -> table.get(k);
        };
    }

    /** A bad regular expression counts 0, as Kamailio. */
    private int count(String expr) {
        try {
            return table.count(expr, kind.equals("shtcv"));
        } catch (IllegalArgumentException e) {
            dev.kemi.runtime.modules.ScriptLog.log(dev.kemi.runtime.modules.ScriptLog.ERR, "htable: bad re " + expr);
            return 0;
        }
    }

    @Override
    public void set(ScriptContext ctx, Object value) {
        String k = key(ctx);
        switch (kind) {
            case "sht" -> table.set(k, value);
            case "shtex" -> table.setExpiry(k, value instanceof Integer n ? n : value == null ? 0 : Integer.parseInt(value.toString().trim()));
            default -> throw new UnsupportedOperationException("read-only pseudo-variable");
        }
    }

    @Override
    public boolean writable() {
        return kind.equals("sht") || kind.equals("shtex");
    }
}
