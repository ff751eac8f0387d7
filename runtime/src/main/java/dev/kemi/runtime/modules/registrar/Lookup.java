package dev.kemi.runtime.modules.registrar;

import dev.kemi.runtime.core.BranchAttrs;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.modules.core.SendSocket;
import dev.kemi.runtime.modules.usrloc.UContact;
import dev.kemi.runtime.modules.usrloc.UDomain;
import dev.kemi.runtime.modules.usrloc.UsrlocException;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.ListenSocket;
import java.util.ArrayList;
import java.util.List;

/** lookup(), lookup_to_dset(), lookup_branches() and registered(): Kamailio's lookup.c. */
final class Lookup {
    private final RegistrarModule reg;

    Lookup(RegistrarModule reg) {
        this.reg = reg;
    }

    /** 1 found; -1 not found; -2 found but the method is not allowed; -3 error. */
    int lookup(MessageContext ctx, UDomain d, String uri, boolean toDset) {
        String target = uri != null ? uri : ctx.msg().requestUri();
        String aor;
        SipUri puri;
        try {
            aor = Aor.of(target, reg.ul.useDomain(), reg.cfg);
            puri = SipUri.parse(target);
        } catch (RegError.Failure | SipParseException e) {
            return -3;
        }
        String gr = puri.param("gr");
        String instance = gr != null && !gr.isEmpty() ? gr : null;
        if (gr != null && gr.isEmpty()) return tempGruu(ctx, d, puri, toDset);
        long now = reg.ul.now();
        List<UContact> picked = new ArrayList<>();
        int[] ret = {-1};
        try {
            d.locked(aor, r -> {
                for (UContact c : r.contacts()) {
                    if (!usable(c, now)) continue;
                    if (!allowed(ctx, c)) {
                        ret[0] = -2;
                        continue;
                    }
                    if (instance != null) {
                        if (instance.equals(unbracket(c.instance()))) {
                            picked.add(c);
                            break;
                        }
                        continue;
                    }
                    picked.add(c);
                    if (!reg.cfg.appendBranches) break;
                }
                return null;
            });
        } catch (UsrlocException e) {
            return -3;
        }
        if (picked.isEmpty()) return ret[0];
        UContact first = picked.get(0);
        if (toDset) {
            // as Kamailio: lookup_to_dset adds the contacts as branches only with append_branches
            if (instance != null || reg.cfg.appendBranches) for (UContact c : picked) push(ctx, c);
            return 1;
        }
        {
            ctx.msg().setRequestUri(first.contact());
            ctx.setRuriQ(first.q());
            ctx.setDstUri(null);
            ctx.setPathVector(null);
            String[] hop = nextHop(ctx, first);
            if (hop[1] != null) ctx.setPathVector(hop[1]);
            ctx.setDstUri(hop[0]);
            ctx.addBranchFlags(first.cflags());
            ListenSocket s = socket(ctx, first);
            if (s != null) SendSocket.set(ctx, s);
        }
        if (instance != null || !reg.cfg.appendBranches) return 1;
        for (int i = 1; i < picked.size(); i++) push(ctx, picked.get(i));
        return 1;
    }

    private void push(MessageContext ctx, UContact c) {
        String[] hop = nextHop(ctx, c);
        ListenSocket s = socket(ctx, c);
        ctx.appendBranch(c.contact(), new BranchAttrs(hop[0], hop[1], c.q(), c.cflags(), s == null ? null : s.toString(),
                emptyNull(c.instance()), emptyNull(c.ruid()), emptyNull(c.userAgent())));
    }

    private static String emptyNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private int tempGruu(MessageContext ctx, UDomain d, SipUri puri, boolean toDset) {
        String user = puri.user() == null ? "" : puri.user();
        int dash = user.lastIndexOf('-');
        if (dash < 0) return -3;
        String ruid = user.substring(0, dash);
        long now = reg.ul.now();
        try {
            UContact c = d.lockedByRuid(ruid, r -> {
                for (UContact x : r.contacts()) if (x.ruid().equals(ruid)) return x;
                return null;
            });
            if (c == null || !usable(c, now)) return -1;
            if (!allowed(ctx, c)) return -2;
            if (toDset) {
                push(ctx, c);
            } else {
                ctx.msg().setRequestUri(c.contact());
                ctx.setRuriQ(c.q());
                String[] hop = nextHop(ctx, c);
                ctx.setDstUri(hop[0]);
                ctx.setPathVector(hop[1]);
                ctx.addBranchFlags(c.cflags());
            }
            return 1;
        } catch (UsrlocException e) {
            return -3;
        }
    }

    private boolean usable(UContact c, long now) {
        return c.valid(now) || reg.cfg.useExpiredContacts;
    }

    /** method_filtering: the contact's methods include the request's, or it is in-dialog. */
    private boolean allowed(MessageContext ctx, UContact c) {
        if (!reg.cfg.methodFiltering) return true;
        if ((Methods.bit(ctx.msg().method()) & c.methods()) != 0) return true;
        try {
            NameAddr to = ctx.msg().to();
            return to != null && to.tag() != null && !to.tag().isEmpty();
        } catch (SipParseException e) {
            return false;
        }
    }

    /** {dst URI, path}: the first Path hop (skipping ourselves with path_check_local) or received. */
    private String[] nextHop(MessageContext ctx, UContact c) {
        if (!c.path().isEmpty()) {
            List<String> hops = RegContacts.split(c.path());
            String path = c.path();
            int i = 0;
            if (reg.cfg.pathCheckLocal && !hops.isEmpty()) {
                try {
                    SipUri u = NameAddr.parse(hops.get(0)).parsedUri();
                    if (ctx.isMyself(u.host(), false)) {
                        i = 1;
                        path = String.join(",", hops.subList(1, hops.size()));
                    }
                } catch (SipParseException e) {
                    return new String[] {null, null};
                }
            }
            if (i < hops.size()) {
                try {
                    return new String[] {NameAddr.parse(hops.get(i)).uri(), path};
                } catch (SipParseException e) {
                    return new String[] {null, null};
                }
            }
        }
        return new String[] {c.received().isEmpty() ? null : c.received(), null};
    }

    private static ListenSocket socket(MessageContext ctx, UContact c) {
        return c.socket().isEmpty() ? null : SendSocket.parse(ctx, c.socket());
    }

    private static String unbracket(String s) {
        return s.length() >= 2 && s.charAt(0) == '<' && s.charAt(s.length() - 1) == '>' ? s.substring(1, s.length() - 1) : s;
    }

    /** lookup_branches: the R-URI, then every clean branch, each replaced by its contacts. */
    int lookupBranches(MessageContext ctx, UDomain d) {
        int start = ctx.branches().size();
        int ret = lookup(ctx, d, null, false);
        if (start == 0) return ret;
        boolean found = ret > 0;
        List<String> uris = new ArrayList<>(ctx.branches().subList(0, start));
        List<BranchAttrs> attrs = new ArrayList<>();
        for (int i = 0; i < ctx.branches().size(); i++) attrs.add(ctx.branchAttrs(i));
        List<String> tailUris = new ArrayList<>(ctx.branches().subList(start, ctx.branches().size()));
        List<BranchAttrs> tailAttrs = new ArrayList<>(attrs.subList(start, attrs.size()));
        ctx.clearBranches();
        for (int i = 0; i < start; i++) {
            BranchAttrs a = attrs.get(i);
            if (a != null) {
                ctx.appendBranch(uris.get(i), a);
                continue;
            }
            MessageContext probe = new MessageContext(ctx.msg().copy(), ctx.received(), ctx.services());
            probe.msg().setRequestUri(uris.get(i));
            int r = lookup(probe, d, null, false);
            if (r > 0) {
                found = true;
                ctx.appendBranch(probe.msg().requestUri(), new BranchAttrs(probe.dstUri(), probe.pathVector(), -1, probe.branchFlags(), null));
                for (int k = 0; k < probe.branches().size(); k++) ctx.appendBranch(probe.branches().get(k), probe.branchAttrs(k));
            } else {
                ctx.appendBranch(uris.get(i), null);
            }
        }
        for (int i = 0; i < tailUris.size(); i++) ctx.appendBranch(tailUris.get(i), tailAttrs.get(i));
        return found ? 1 : ret;
    }

    /** registered(): 1 when the AoR has a usable contact (matching the xavp_cfg criteria when asked). */
    int registered(MessageContext ctx, UDomain d, String uri) {
        String target;
        if (uri != null) {
            target = uri;
        } else if (!ctx.msg().isRequest()) {
            try {
                target = ctx.msg().to().uri();
            } catch (SipParseException | NullPointerException e) {
                return -1;
            }
        } else {
            target = ctx.msg().requestUri();
        }
        String aor;
        try {
            aor = Aor.of(target, reg.ul.useDomain(), reg.cfg);
        } catch (RegError.Failure e) {
            return -1;
        }
        long now = reg.ul.now();
        try {
            return d.locked(aor, r -> {
                for (UContact c : r.contacts()) if (usable(c, now)) return 1;
                return -1;
            });
        } catch (UsrlocException e) {
            return -1;
        }
    }
}
