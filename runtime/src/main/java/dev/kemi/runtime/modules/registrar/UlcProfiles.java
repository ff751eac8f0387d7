package dev.kemi.runtime.modules.registrar;

import dev.kemi.api.Pv;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.pv.PvIndex;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.usrloc.CoreHash;
import dev.kemi.runtime.modules.usrloc.UContact;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * reg_fetch_contacts() profiles and $ulc(profile=>attr): a copy of an AoR's bindings that stays
 * in the worker (Kamailio: in the process) until fetched again or freed.
 */
final class UlcProfiles {
    /** A binding as fetched. */
    record Fetched(String addr, String path, String received, long expires, String callid, int q, int cseq,
                   int flags, int cflags, String userAgent, String socket, long modified, int methods, String ruid,
                   int regId, String instance, int conid, int serverId) {
        static Fetched of(UContact c) {
            return new Fetched(c.contact(), c.path(), c.received(), c.expires(), c.callId(), c.q(), c.cseq(), c.flags(),
                    c.cflags(), c.userAgent(), c.socket(), c.lastModified(), c.methods(), c.ruid(), c.regId(),
                    c.instance(), c.tcpconnId(), c.serverId());
        }
    }

    record Profile(String aor, String domain, int aorhash, List<Fetched> contacts) {}

    private static final Set<String> ATTRS = Set.of("aor", "domain", "aorhash", "addr", "path", "received", "expires",
            "callid", "q", "cseq", "flags", "cflags", "user_agent", "socket", "modified", "methods", "count", "ruid",
            "regid", "instance", "conid", "server_id");

    private final ThreadLocal<Map<String, Profile>> profiles = ThreadLocal.withInitial(HashMap::new);

    void put(String name, String aor, List<UContact> contacts) {
        int at = aor.indexOf('@');
        profiles.get().put(name, new Profile(aor, at < 0 ? "" : aor.substring(at + 1), CoreHash.of(aor),
                contacts.stream().map(Fetched::of).toList()));
    }

    boolean free(String name) {
        profiles.get().remove(name);
        return true;
    }

    Pv resolve(PvSpec spec) {
        String p = spec.param();
        int sep = p == null ? -1 : p.indexOf("=>");
        if (sep <= 0) throw new IllegalArgumentException("$ulc needs (profile=>attribute): " + spec);
        String name = p.substring(0, sep).strip();
        String attr = p.substring(sep + 2).strip();
        if (!ATTRS.contains(attr)) throw new IllegalArgumentException("unknown $ulc attribute " + attr);
        return new Pv() {
            /** An index given by a pseudo-variable ($(ulc(p=>addr)[$var(i)])), resolved on first use with the message's PVs. */
            private volatile Pv indexPv;

            private Integer index(ScriptContext ctx) {
                if (spec.indexPv() == null) return spec.index();
                if (indexPv == null) indexPv = PvModule.providerOf(((MessageContext) ctx).services()).resolve(spec.indexPv());
                return new PvIndex(null, indexPv).at(ctx);
            }

            @Override
            public Object get(ScriptContext ctx) {
                Profile pr = profiles.get().get(name);
                if (pr == null || pr.contacts.isEmpty()) return null;
                Integer index = index(ctx);
                int i = index == null || index < 0 ? 0 : index;
                if (i >= pr.contacts.size()) return null;
                Fetched c = pr.contacts.get(i);
                return switch (attr) {
                    case "aor" -> pr.aor;
                    case "domain" -> pr.domain;
                    case "aorhash" -> (int) Integer.toUnsignedLong(pr.aorhash);
                    case "addr" -> c.addr;
                    case "path" -> c.path;
                    case "received" -> c.received;
                    case "expires" -> (int) c.expires;
                    case "callid" -> c.callid;
                    case "q" -> c.q;
                    case "cseq" -> c.cseq;
                    case "flags" -> c.flags;
                    case "cflags" -> c.cflags;
                    case "user_agent" -> c.userAgent;
                    case "socket" -> c.socket.isEmpty() ? null : c.socket;
                    case "modified" -> (int) c.modified;
                    case "methods" -> c.methods;
                    case "count" -> pr.contacts.size();
                    case "ruid" -> c.ruid;
                    case "regid" -> c.regId;
                    case "instance" -> c.instance.isEmpty() ? null : c.instance;
                    case "conid" -> c.socket.startsWith("udp:") || c.socket.isEmpty() ? null : c.conid;
                    case "server_id" -> c.serverId;
                    default -> null;
                };
            }
        };
    }
}
