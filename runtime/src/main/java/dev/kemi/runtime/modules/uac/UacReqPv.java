package dev.kemi.runtime.modules.uac;

import dev.kemi.api.Pv;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.modules.ScriptLog;
import java.util.function.Supplier;

/** $uac_req(name): read and written as Kamailio 5.6.3's pv_get_uac_req / pv_set_uac_req. */
final class UacReqPv implements Pv {
    private final String key;
    private final Supplier<UacReq> store;

    private UacReqPv(String key, Supplier<UacReq> store) {
        this.key = key;
        this.store = store;
    }

    static UacReqPv of(String key, Supplier<UacReq> store) {
        switch (key == null ? "" : key) {
            case "all", "ruri", "turi", "furi", "hdrs", "body", "ouri", "sock", "auser", "flags", "method", "callid",
                    "evcode", "evtype", "evroute", "apasswd", "evparam" -> {
                return new UacReqPv(key, store);
            }
            default -> throw new IllegalArgumentException("unknown uac_req name " + key);
        }
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public Object get(ScriptContext ctx) {
        UacReq r = store.get();
        return switch (key) {
            case "ruri" -> r.ruri;
            case "turi" -> r.turi;
            case "furi" -> r.furi;
            case "hdrs" -> r.hdrs;
            case "body" -> r.body;
            case "ouri" -> r.ouri;
            case "method" -> r.method;
            case "evroute" -> r.evroute;
            case "auser" -> r.auser;
            case "apasswd" -> r.apasswd;
            case "callid" -> r.callid;
            case "sock" -> r.sock;
            case "evparam" -> r.evparam;
            case "evcode" -> r.evcode;
            case "evtype" -> r.evtype;
            default -> r.flags; // all, flags
        };
    }

    @Override
    public void set(ScriptContext ctx, Object value) {
        UacReq r = store.get();
        boolean isInt = key.equals("evroute") || key.equals("evcode") || key.equals("evtype") || key.equals("flags");
        if (key.equals("all")) {
            if (value == null) r.reset();
            return;
        }
        if (value != null && isInt != (value instanceof Integer)) {
            ScriptLog.log(ScriptLog.ERR, "uac: Invalid value type for $uac_req(" + key + ")");
            throw new IllegalArgumentException("invalid value type for $uac_req(" + key + ")");
        }
        if (value instanceof String s && s.length() >= UacReq.limit(key)) {
            ScriptLog.log(ScriptLog.ERR, "uac: Value size too big for $uac_req(" + key + ")");
            throw new IllegalArgumentException("value size too big for $uac_req(" + key + ")");
        }
        String s = value instanceof String v && !v.isEmpty() ? v : null;
        int i = value instanceof Integer n ? n : 0;
        switch (key) {
            case "ruri" -> r.ruri = s;
            case "turi" -> r.turi = s;
            case "furi" -> r.furi = s;
            case "hdrs" -> r.hdrs = s;
            case "body" -> r.body = s;
            case "ouri" -> r.ouri = s;
            case "method" -> r.method = s;
            case "auser" -> r.auser = s;
            case "apasswd" -> r.apasswd = s;
            case "callid" -> r.callid = s;
            // 5.6.3 clears apasswd instead (a typo fixed later): here $null clears the socket
            case "sock" -> r.sock = s;
            case "evparam" -> r.evparam = s;
            case "evroute" -> r.evroute = i;
            case "evcode" -> r.evcode = i;
            case "evtype" -> r.evtype = i;
            case "flags" -> r.flags = i;
            default -> { }
        }
    }
}
