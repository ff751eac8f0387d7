package dev.kemi.runtime.modules.uac;

import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** uac.reg_* RPC commands with Kamailio 5.6.3's output shapes and faults. */
final class UacRegRpc {
    private final java.util.function.Supplier<UacRegistrations> registrations;

    /** @param registrations the module's registrations once init made them, else null ("Not enabled") */
    UacRegRpc(java.util.function.Supplier<UacRegistrations> registrations) {
        this.registrations = registrations;
    }

    private UacRegistrations regs() {
        UacRegistrations r = registrations.get();
        if (r == null) throw new RpcException(500, "Not enabled");
        return r;
    }

    void register(RpcRegistry r) {
        r.register("uac.reg_dump", p -> {
            long tn = UacRegistrations.now();
            List<Object> out = new ArrayList<>();
            for (UacRegRecord rec : regs().all()) out.add(node(rec, tn));
            return out;
        });
        r.register("uac.reg_info", p -> node(find(p), UacRegistrations.now()));
        r.register("uac.reg_enable", p -> {
            flag(find(p), false);
            regs().regdisabled.decrement();
            return List.of();
        });
        r.register("uac.reg_disable", p -> {
            flag(find(p), true);
            regs().regdisabled.increment();
            return List.of();
        });
        r.register("uac.reg_reload", p -> {
            String err = regs().reload();
            if (err != null) throw new RpcException(500, err);
            return List.of();
        });
        r.register("uac.reg_refresh", p -> {
            String uuid = str(p, 0);
            if (uuid == null) throw new RpcException(400, "Invalid Parameters");
            int ret = regs().refresh(uuid);
            if (ret == 0) throw new RpcException(404, "Record not found");
            if (ret < 0) throw new RpcException(500, "Failed to refresh record - check log messages");
            return List.of();
        });
        r.register("uac.reg_remove", p -> {
            String uuid = str(p, 0);
            if (uuid == null) throw new RpcException(400, "Invalid Parameters");
            UacRegRecord rec = regs().byUuid(uuid);
            if (rec == null) throw new RpcException(404, "Record not found");
            regs().remove(rec);
            return List.of();
        });
        r.register("uac.reg_add", p -> {
            if (p.size() < 15) throw new RpcException(400, "Invalid Parameters");
            String pw = optional(p, 7), ha1 = optional(p, 8), contact = optional(p, 14);
            if (".".equals(pw)) pw = null;
            if (".".equals(ha1)) ha1 = null;
            if (".".equals(contact)) contact = null;
            int expires, flags, delay;
            try {
                expires = Integer.parseInt(p.get(10).toString().trim());
                flags = Integer.parseInt(p.get(11).toString().trim());
                delay = Integer.parseInt(p.get(12).toString().trim());
            } catch (NumberFormatException e) {
                throw new RpcException(400, "Invalid Parameters");
            }
            if (!UacRegistrations.passwordUsable(pw, ha1)) {
                throw new RpcException(500, "Failed to add record - invalid password or ha1");
            }
            String uuid = p.get(0) == null ? "" : p.get(0).toString();
            if (regs().byUuid(uuid) != null) throw new RpcException(409, "uuid already exists");
            // realm and socket stay "" as given (Kamailio prints them so), the others print "none" when empty
            regs().add(new UacRegRecord(uuid, text(p, 1), text(p, 2), text(p, 3), text(p, 4), text(p, 5), text(p, 6),
                    pw, ha1, optional(p, 9), expires, flags, delay, contact, text(p, 13)));
            return List.of();
        });
        r.register("uac.reg_active", p -> {
            if (p.isEmpty() || p.get(0) == null) throw new RpcException(500, "Missing parameter");
            int mode;
            try {
                mode = Integer.parseInt(p.get(0).toString().trim());
            } catch (NumberFormatException e) {
                throw new RpcException(500, "Missing parameter");
            }
            int old = regs().active(mode);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("omode", old);
            m.put("nmode", mode);
            return m;
        });
        r.register("uac.reg_unregister", p -> {
            UacRegRecord rec = find(p);
            synchronized (rec) {
                rec.expires = 0;
                regs().send(rec, UacRegistrations.now());
            }
            return List.of();
        });
    }

    /** The record an "attr, value" pair names, or the fault 5.6.3 gives. */
    private UacRegRecord find(List<Object> p) {
        String attr = str(p, 0), val = str(p, 1);
        if (p.size() < 2) throw new RpcException(400, "Invalid Parameters");
        if (attr == null || val == null) throw new RpcException(400, "Invalid Parameter Values");
        UacRegRecord[] out = new UacRegRecord[1];
        int ret = regs().byFilter(attr, val, out);
        if (ret == 0) throw new RpcException(404, "Record not found");
        if (ret < 0) throw new RpcException(400, "Unsupported filter attribute");
        return out[0];
    }

    private static void flag(UacRegRecord r, boolean disable) {
        synchronized (r) {
            if (disable) r.flags |= UacRegRecord.DISABLED;
            else r.flags &= ~UacRegRecord.DISABLED;
            r.timerExpires = UacRegistrations.now() + 1;
        }
    }

    private static String text(List<Object> p, int i) {
        return p.get(i) == null ? "" : p.get(i).toString();
    }

    /** An optional field: empty is unset. */
    private static String optional(List<Object> p, int i) {
        String s = text(p, i);
        return s.isEmpty() ? null : s;
    }

    private static String str(List<Object> p, int i) {
        if (p.size() <= i || p.get(i) == null) return null;
        String s = p.get(i).toString();
        return s.isEmpty() ? null : s;
    }

    static Map<String, Object> node(UacRegRecord r, long tn) {
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (r) {
            m.put("l_uuid", r.lUuid);
            m.put("l_username", r.lUsername);
            m.put("l_domain", r.lDomain);
            m.put("r_username", r.rUsername);
            m.put("r_domain", r.rDomain);
            m.put("realm", r.realm); // null prints as Kamailio's empty str
            m.put("auth_username", r.authUsername);
            m.put("auth_password", r.authPassword != null ? r.authPassword : "none");
            m.put("auth_ha1", r.authHa1 != null ? r.authHa1 : "none");
            m.put("auth_proxy", r.authProxy != null ? r.authProxy : "none");
            m.put("expires", r.expires);
            m.put("flags", r.flags);
            m.put("diff_expires", (int) (r.timerExpires - tn));
            m.put("timer_expires", (int) r.timerExpires);
            m.put("reg_init", (int) r.regInit);
            m.put("reg_delay", r.regDelay);
            m.put("contact_addr", r.contactAddr != null ? r.contactAddr : "none");
            m.put("socket", r.socket);
        }
        return m;
    }
}
