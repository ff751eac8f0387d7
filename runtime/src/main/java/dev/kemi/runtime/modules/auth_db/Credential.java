package dev.kemi.runtime.modules.auth_db;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.modules.pv.StandardPvs;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of load_credentials: a column and the variable it is loaded into
 * ("$avp(rpid)=rpid", or "rpid" for $avp(rpid)).
 */
record Credential(String column, PvSpec spec, Pv pv) {

    /** "a;$avp(x)=b;..." in Kamailio's order (it links each entry in front of the previous one). */
    static List<Credential> parseList(String definition) {
        List<Credential> out = new ArrayList<>();
        if (definition == null || definition.isEmpty()) return out;
        StandardPvs pvs = new StandardPvs();
        for (String part : definition.split(";")) {
            if (part.isEmpty()) continue;
            int eq = part.lastIndexOf('=');
            String column, pvText;
            if (eq > 0) {
                column = part.substring(eq + 1).trim();
                pvText = part.substring(0, eq).trim();
            } else {
                column = part.trim();
                pvText = "$avp(" + column + ")";
            }
            if (column.isEmpty() || pvText.isEmpty()) {
                throw new IllegalArgumentException("auth_db: load_credentials: parse failed in \"" + definition + "\" at \"" + part + "\"");
            }
            PvSpec spec = PvSpec.parse(pvText);
            Pv pv = pvs.resolve(spec);
            if (!pv.writable()) throw new IllegalArgumentException("auth_db: PV is not writeable: " + pvText);
            out.addFirst(new Credential(column, spec, pv));
        }
        return out;
    }

    /** db_val2pv_spec: ints as ints, the rest as text; NULL is skipped for an AVP, else assigned. */
    void store(MessageContext ctx, DbValue v) {
        if (v == null || v.isNull()) {
            if (!"avp".equals(spec.name())) pv.set(ctx, null);
            return;
        }
        Object value = switch (v.type()) {
            case INT -> v.asInt();
            case DATETIME -> (int) v.asInstant().getEpochSecond();
            case BIGINT -> {
                long l = v.asLong();
                yield (l & 0xffffffff00000000L) == 0 ? (Object) (int) l : Long.toString(l);
            }
            default -> v.asString();
        };
        pv.set(ctx, value);
    }
}
