package dev.kemi.runtime.modules.sqlops;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.modules.pv.StandardPvs;

/** {@code $dbr(res=>rows)}, {@code $dbr(res=>cols)}, {@code $dbr(res=>[row,col])}, {@code $dbr(res=>colname[col])}; indexes may be PVs. */
final class DbrPv implements Pv {
    private enum Kind { ROWS, COLS, VALUE, COLNAME }

    private final SqlopsModule module;
    private final String res;
    private final Kind kind;
    private final Object row;
    private final Object col;

    private DbrPv(SqlopsModule module, String res, Kind kind, Object row, Object col) {
        this.module = module;
        this.res = res;
        this.kind = kind;
        this.row = row;
        this.col = col;
    }

    static DbrPv parse(SqlopsModule module, String param) {
        int arrow = param.indexOf("=>");
        if (arrow <= 0) throw new IllegalArgumentException("invalid $dbr name " + param);
        String res = param.substring(0, arrow).trim();
        String key = param.substring(arrow + 2).trim();
        if (res.isEmpty() || key.isEmpty()) throw new IllegalArgumentException("invalid key in " + param);
        if (key.equals("rows")) return new DbrPv(module, res, Kind.ROWS, null, null);
        if (key.equals("cols")) return new DbrPv(module, res, Kind.COLS, null, null);
        if (key.startsWith("[") && key.endsWith("]")) {
            String[] rc = key.substring(1, key.length() - 1).split(",");
            if (rc.length != 2) throw new IllegalArgumentException("invalid index in " + param);
            return new DbrPv(module, res, Kind.VALUE, index(rc[0], param), index(rc[1], param));
        }
        if (key.startsWith("colname") && key.endsWith("]")) {
            String rest = key.substring(7).trim();
            if (!rest.startsWith("[")) throw new IllegalArgumentException("invalid index in " + param);
            return new DbrPv(module, res, Kind.COLNAME, null, index(rest.substring(1, rest.length() - 1), param));
        }
        throw new IllegalArgumentException("unknown key [" + key + "] in $dbr(" + param + ")");
    }

    /** An int, or a PV read at each use (sql_parse_index). */
    private static Object index(String s, String param) {
        String t = s.trim();
        if (t.startsWith("$")) return new StandardPvs().resolve(PvSpec.parse(t));
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid index [" + t + "] in $dbr(" + param + ")");
        }
    }

    private static Integer eval(Object idx, ScriptContext ctx) {
        if (idx instanceof Integer i) return i;
        Object v = ((Pv) idx).get(ctx);
        if (v instanceof Integer i) return i;
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    @Override
    public Object get(ScriptContext ctx) {
        SqlResult r = module.result(res);
        if (r == null) return null;
        return switch (kind) {
            case ROWS -> r.rows();
            case COLS -> r.cols();
            case VALUE -> {
                Integer i = eval(row, ctx), j = eval(col, ctx);
                yield i == null || j == null ? null : r.value(i, j);
            }
            case COLNAME -> {
                Integer j = eval(col, ctx);
                yield j == null ? null : r.colName(j);
            }
        };
    }
}
