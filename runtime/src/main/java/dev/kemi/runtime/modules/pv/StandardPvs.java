package dev.kemi.runtime.modules.pv;

import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvProvider;
import dev.kemi.api.PvSpec;
import dev.kemi.api.ScriptContext;
import dev.kemi.runtime.core.Failures;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.core.UriText;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The pseudo-variables of Kamailio's core and pv module that scripts use most, resolved once
 * per spec. Integer-typed ones ($rp, $rs, $sp, $Rp, $bs, $ml, $cl, $mf, $hdrc, $af(id), $dp) return
 * Integer.
 */
public final class StandardPvs implements PvProvider {
    /** PVs of the loaded modules ($ulc, $au, $sht ...), this proxy's only. */
    private final List<PvExports> modulePvs = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** $var and $shv of this proxy; the pv module's KSR.pvx functions use the same ones. */
    private final VarStore vars = new VarStore();
    private final SharedVars shared = new SharedVars();

    public VarStore vars() {
        return vars;
    }

    public SharedVars shared() {
        return shared;
    }

    /** Adds a loaded module's pseudo-variables. */
    public void add(PvExports module) {
        modulePvs.add(module);
    }

    @Override
    public Pv resolve(PvSpec spec) {
        Pv base = base(spec);
        if (spec.transforms().isEmpty()) return base;
        List<UnaryOperator<Object>> trs = new ArrayList<>();
        for (String t : spec.transforms()) trs.add(Transforms.compile(t));
        return new Pv() {
            @Override
            public Object get(ScriptContext ctx) {
                Object v = base.get(ctx);
                for (UnaryOperator<Object> t : trs) {
                    if (v == null) return null;
                    v = t.apply(v);
                }
                return v;
            }
        };
    }

    private static Pv ro(Function<MessageContext, Object> f) {
        return ctx -> f.apply((MessageContext) ctx);
    }

    private static Pv rw(Function<MessageContext, Object> f, BiConsumer<MessageContext, Object> s) {
        return new Pv() {
            @Override
            public Object get(ScriptContext ctx) { return f.apply((MessageContext) ctx); }

            @Override
            public void set(ScriptContext ctx, Object value) { s.accept((MessageContext) ctx, value); }

            @Override
            public boolean writable() { return true; }
        };
    }

    private Pv base(PvSpec spec) {
        String n = spec.name();
        String p = spec.param();
        if (n.startsWith("T_")) return tm(n);
        return switch (n) {
            case "null" -> ctx -> null;
            case "ru" -> rw(c -> c.msg().isRequest() ? c.msg().requestUri() : null, (c, v) -> setRuri(c, v, u -> UriText.split(str(v)) == null ? null : str(v)));
            case "rU" -> rw(c -> ruri(c, UriText::user, true), (c, v) -> setRuri(c, v, u -> u.withUser(str(v)).toString()));
            case "rd" -> rw(c -> ruri(c, UriText::host, false), (c, v) -> setRuri(c, v, u -> u.withHost(str(v)).toString()));
            case "rp" -> rw(c -> ruriPort(c), (c, v) -> setRuri(c, v, u -> u.withPort(v == null ? null : v.toString()).toString()));
            case "rz" -> ro(c -> ruri(c, UriText::scheme, false));
            case "ou" -> ro(c -> c.msg().isRequest() ? c.msg().originalRequestUri() : null);
            case "rm" -> ro(c -> c.msg().method());
            case "rs" -> ro(c -> c.msg().isRequest() ? null : (Object) c.msg().status());
            case "rr" -> ro(c -> c.msg().isRequest() ? null : c.msg().reason());
            case "du" -> rw(c -> c.dstUri(), (c, v) -> {
                c.setDstUri(v == null ? null : str(v));
                if (v != null && c.msg().isRequest()) c.msg().markRequestUriNew(); // pv_core.c: a new $du re-uses the R-URI for serial forking
            });
            case "fu" -> ro(c -> addr(c, true, NameAddr::uri));
            case "fU" -> ro(c -> addrUri(c, true, SipUri::user));
            case "fd" -> ro(c -> addrUri(c, true, SipUri::host));
            case "fn" -> ro(c -> displayName(c.msg().header("From")));
            case "ft" -> ro(c -> addr(c, true, NameAddr::tag));
            case "tu" -> ro(c -> addr(c, false, NameAddr::uri));
            case "tU" -> ro(c -> addrUri(c, false, SipUri::user));
            case "td" -> ro(c -> addrUri(c, false, SipUri::host));
            case "tn" -> ro(c -> displayName(c.msg().header("To")));
            case "tt" -> ro(c -> addr(c, false, NameAddr::tag));
            case "ci" -> ro(c -> c.msg().callId());
            case "mt" -> ro(c -> c.msg().isRequest() ? 1 : 2);
            case "cs" -> ro(c -> {
                String v = c.msg().header("CSeq");
                return v == null ? null : v.trim().split("\\s+")[0];
            });
            case "ua" -> ro(c -> c.msg().header("User-Agent"));
            case "ct" -> ro(c -> c.msg().header("Contact"));
            case "cT" -> ro(c -> c.msg().contentType());
            case "cl" -> ro(c -> {
                String v = c.msg().header("Content-Length");
                return v == null ? null : Transforms.toInt(v);
            });
            case "si" -> ro(c -> c.received().sourceIp());
            case "sp" -> ro(c -> c.received().source().getPort());
            case "Ri" -> ro(c -> c.received().socket().address().getAddress().getHostAddress());
            case "Rp" -> ro(c -> c.received().socket().address().getPort());
            case "pr", "proto" -> ro(c -> c.received().socket().proto().lower());
            case "mb" -> ro(c -> new String(c.msg().rawBytes(), StandardCharsets.ISO_8859_1));
            case "ml" -> ro(c -> c.msg().rawBytes().length);
            case "rb" -> ro(c -> {
                byte[] b = c.msg().body();
                return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
            });
            case "bs" -> ro(c -> {
                byte[] b = c.msg().body();
                return b == null ? 0 : b.length;
            });
            case "Ts" -> ro(c -> (int) (System.currentTimeMillis() / 1000));
            case "var" -> var(need(spec));
            case "shv" -> shv(need(spec));
            case "avp" -> avp(need(spec), PvIndex.of(spec, this));
            case "hdr" -> hdr(need(spec), PvIndex.of(spec, this));
            case "hdrc" -> hdrCount(need(spec));
            case "af" -> af(need(spec));
            case "mf" -> rw(c -> c.flags(), (c, v) -> c.setFlags(v instanceof Integer i ? i : 0));
            case "bf" -> rw(c -> c.branchFlags(), (c, v) -> {
                if (v != null && !(v instanceof Integer)) throw new IllegalArgumentException("assigning non-int value to branch 0 flags");
                c.setBranchFlags(v == null ? 0 : (Integer) v);
            });
            case "fs" -> rw(c -> {
                var sock = dev.kemi.runtime.modules.core.SendSocket.get(c);
                return sock == null ? null : sock.toString();
            }, StandardPvs::setForceSocket);
            case "dd" -> ro(c -> dst(c, u -> u.host()));
            case "dp" -> ro(c -> dst(c, u -> u.port() > 0 ? u.port() : "sips".equals(u.scheme()) ? 5061 : 5060));
            case "dP" -> ro(c -> dst(c, u -> u.param("transport") != null ? u.param("transport") : "UDP"));
            // only set while onsend_route runs, which this proxy does not run: undefined, as Kamailio elsewhere
            case "snd", "sndto" -> {
                need(spec);
                yield ro(c -> null);
            }
            default -> {
                for (PvExports m : modulePvs) {
                    if (m.pvNames().contains(n)) yield m.resolvePv(spec);
                }
                throw new IllegalArgumentException("unknown pseudo-variable " + spec);
            }
        };
    }

    private static String need(PvSpec spec) {
        if (spec.param() == null || spec.param().isEmpty()) {
            throw new IllegalArgumentException("pseudo-variable " + spec + " needs a name");
        }
        return spec.param();
    }

    static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    // ---- R-URI
    private static Object ruri(MessageContext c, Function<UriText, String> part, boolean emptyIsNull) {
        if (!c.msg().isRequest()) return null;
        UriText u = UriText.split(c.msg().requestUri());
        if (u == null) return null;
        String v = part.apply(u);
        return v == null || (emptyIsNull && v.isEmpty()) ? null : v;
    }

    private static Object ruriPort(MessageContext c) {
        if (!c.msg().isRequest()) return null;
        try {
            SipUri u = c.msg().parsedRequestUri();
            return u.port() > 0 ? u.port() : 5060; // Kamailio reads 5060 when absent, sips too
        } catch (SipParseException e) {
            return null;
        }
    }

    private static void setRuri(MessageContext c, Object v, Function<UriText, String> edit) {
        if (!c.msg().isRequest()) throw new UnsupportedOperationException("no R-URI in a reply");
        UriText u = UriText.split(c.msg().requestUri());
        if (u == null) throw new IllegalArgumentException("bad R-URI");
        String next = edit.apply(u);
        if (next == null) throw new IllegalArgumentException("bad URI '" + v + "'");
        c.msg().setRequestUri(next);
    }

    // ---- From / To
    private static Object addr(MessageContext c, boolean from, Function<NameAddr, String> f) {
        try {
            NameAddr a = from ? c.msg().from() : c.msg().to();
            return a == null ? null : f.apply(a);
        } catch (SipParseException e) {
            return null;
        }
    }

    /** Display name as written (quotes kept, as Kamailio's $fn/$tn), null if none. */
    private static Object displayName(String value) {
        if (value == null) return null;
        int lt = value.indexOf('<');
        if (lt <= 0) return null;
        String d = value.substring(0, lt).trim();
        return d.isEmpty() ? null : d;
    }

    private static Object addrUri(MessageContext c, boolean from, Function<SipUri, String> f) {
        try {
            NameAddr a = from ? c.msg().from() : c.msg().to();
            return a == null ? null : f.apply(a.parsedUri());
        } catch (SipParseException e) {
            return null;
        }
    }

    // ---- variables
    private Pv var(String name) {
        return rw(c -> vars.get(name), (c, v) -> vars.set(name, v));
    }

    private Pv shv(String name) {
        return rw(c -> shared.get(name), (c, v) -> shared.set(name, v));
    }

    /**
     * $avp(x) newest value; $(avp(x)[i]) the i-th (a negative i as 5.6.3 reads it); $(avp(x)[*])
     * all, joined by ", ". Assigning
     * adds a value whatever the index; $null deletes the newest, or all with [*]; [*] = v
     * replaces all with v (pv_set_avp).
     */
    private static Pv avp(String name, PvIndex ix) {
        return rw(c -> {
            Integer index = ix.at(c);
            AvpStore s = AvpStore.of(c);
            if (index != null && index == PvSpec.ALL) {
                List<Object> all = s.all(name);
                return all.isEmpty() ? null : String.join(", ", all.stream().map(String::valueOf).toList());
            }
            if (index != null && index < 0) {
                // 5.6.3's pv_get_avp counts the values with the search state it then reads from:
                // only [-count] (the newest) finds one
                return -index == s.all(name).size() ? s.get(name, 0) : null;
            }
            return s.get(name, index == null ? 0 : index);
        }, (c, v) -> {
            Integer index = ix.at(c);
            AvpStore s = AvpStore.of(c);
            boolean all = index != null && index == PvSpec.ALL;
            if (all) s.removeAll(name);
            else if (v == null) s.remove(name, 0);
            if (v != null) s.add(name, v);
        });
    }

    /** $hdr(Name): first field; [i] the i-th (negative from the end); [*] all, joined by ",". */
    private static Pv hdr(String name, PvIndex ix) {
        return ro(c -> {
            Integer index = ix.at(c);
            SipMessage m = c.msg();
            if (index == null) return m.header(name);
            List<String> hs = m.headers(name);
            if (hs.isEmpty()) return null;
            if (index == PvSpec.ALL) return String.join(",", hs);
            int i = index < 0 ? hs.size() + index : index;
            return i < 0 || i >= hs.size() ? null : hs.get(i);
        });
    }

    /** $hdrc(name): how many header fields of that name (lines, lists not split). */
    private static Pv hdrCount(String name) {
        return ro(c -> c.msg().headerCount(name));
    }

    /** $af(id): 2 (AF_INET) or 10 (AF_INET6) of the receiving socket; $af(name): "IPv4" / "IPv6". */
    private static Pv af(String kind) {
        boolean id = switch (kind) {
            case "id" -> true;
            case "name" -> false;
            default -> throw new IllegalArgumentException("$af(" + kind + "): id or name expected");
        };
        return ro(c -> {
            boolean v6 = c.received().socket().address().getAddress() instanceof java.net.Inet6Address;
            return id ? (Object) (v6 ? 10 : 2) : v6 ? "IPv6" : "IPv4";
        });
    }

    /** $fs = "proto:host:port" (pv_set_force_sock): $null resets it; a socket we do not have only warns. */
    private static void setForceSocket(MessageContext c, Object v) {
        if (v == null) {
            dev.kemi.runtime.modules.core.SendSocket.set(c, null);
            return;
        }
        if (!(v instanceof String s) || s.isEmpty()) throw new IllegalArgumentException("str value required to set the force send sock");
        var sock = StaticBranch.socket(c, s);
        if (sock != null) dev.kemi.runtime.modules.core.SendSocket.set(c, sock);
    }

    /** A part of $du's URI; null when $du is unset or does not parse. */
    private static Object dst(MessageContext c, Function<SipUri, Object> part) {
        if (c.dstUri() == null) return null;
        try {
            return part.apply(SipUri.parse(c.dstUri()));
        } catch (SipParseException | RuntimeException e) {
            Failures.handled("pv: dst", e);
            return null;
        }
    }

    /** tm's pseudo-variables ($T_branch_idx, $T_reply_code ...): from the proxy's tm ({@link TmValues}), else null. */
    private static Pv tm(String name) {
        return ro(c -> {
            TmValues t = c.services() == null ? null : c.services().optionalApi(TmValues.class).orElse(null);
            return t == null ? null : t.tmValue(name, c);
        });
    }
}
