package dev.kemi.runtime.modules.permissions;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.Databases;
import dev.kemi.runtime.db.DbCond;
import dev.kemi.runtime.db.DbException;
import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.db.DbValue;
import dev.kemi.runtime.modules.RegexCache;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.rpc.RpcException;
import dev.kemi.runtime.rpc.RpcProvider;
import dev.kemi.runtime.rpc.RpcRegistry;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * permissions: source-address authorisation from the {@code address} table (groups, CIDR
 * subnets, ports, tags), trusted peers from the {@code trusted} table (source IP, protocol, From
 * and R-URI patterns, priority), and the allow/deny rule files of allow_routing/allow_register,
 * as Kamailio 5.6.3's module. Tables are read through our DB API; a reload builds a new
 * generation and swaps it in, so a request sees either the old or the new table whole.
 */
@Module(value = "permissions", loadName = "permissions")
public final class PermissionsModule implements RuntimeModule, RpcProvider {
    static final int TABLE_VERSION = 6;
    static final int LOAD_ADDRESSDB = 1, LOAD_TRUSTEDDB = 2, LOAD_ALLOWFILE = 4, LOAD_DENYFILE = 8;
    private static final int MAX_URI_SIZE = 1024, EXPRESSION_LENGTH = 256;

    private String defaultAllowFile = "permissions.allow";
    private String defaultDenyFile = "permissions.deny";
    private boolean checkAllBranches = true;
    private String allowSuffix = ".allow";
    private String denySuffix = ".deny";
    private String dbUrl;
    private int dbMode;
    private String trustedTable = "trusted";
    private String sourceCol = "src_ip", protoCol = "proto", fromCol = "from_pattern", ruriCol = "ruri_pattern";
    private String tagCol = "tag", priorityCol = "priority";
    private String peerTagAvp;
    private boolean peerTagMode;
    private String addressTable = "address";
    private String addressFileParam;
    private String grpCol = "grp", ipAddrCol = "ip_addr", maskCol = "mask", portCol = "port";
    private int maxSubnets = 512;
    private int loadBackends = 0xFFFF;
    private int reloadDelta = 5;

    private Path cfgDir;
    private Path addressFile;
    private String tagAvp;
    private Database db;
    /** null when the address backend is off (no db_url nor address_file): allow_address* then fail. */
    private volatile AddressTables addresses;
    /** null unless db_mode 1 with a db_url. */
    private volatile TrustedTable trusted;
    private final RegexCache trustedPatterns = new RegexCache();
    /** Loaded allow/deny pairs by "allow\0deny" path; the defaults are loaded at init. */
    private final Map<String, RulePair> rules = new ConcurrentHashMap<>();
    private RulePair defaults = new RulePair(null, RuleFile.EMPTY, null, RuleFile.EMPTY);
    private long lastReload;

    private record RulePair(Path allowPath, RuleFile allow, Path denyPath, RuleFile deny) {
        boolean empty() {
            return allow.isEmpty() && deny.isEmpty();
        }
    }

    @Param("default_allow_file") public void defaultAllowFile(String v) { defaultAllowFile = v; }
    @Param("default_deny_file") public void defaultDenyFile(String v) { defaultDenyFile = v; }
    @Param("check_all_branches") public void checkAllBranches(int v) { checkAllBranches = v != 0; }
    @Param("allow_suffix") public void allowSuffix(String v) { allowSuffix = v; }
    @Param("deny_suffix") public void denySuffix(String v) { denySuffix = v; }
    @Param("db_url") public void dbUrl(String v) { dbUrl = v == null || v.isEmpty() ? null : v; }
    @Param("db_mode")
    public void dbMode(int v) {
        if (v != 0 && v != 1) throw new IllegalArgumentException("invalid db_mode value: " + v);
        dbMode = v;
    }
    @Param("trusted_table") public void trustedTable(String v) { trustedTable = v; }
    @Param("source_col") public void sourceCol(String v) { sourceCol = v; }
    @Param("proto_col") public void protoCol(String v) { protoCol = v; }
    @Param("from_col") public void fromCol(String v) { fromCol = v; }
    @Param("ruri_col") public void ruriCol(String v) { ruriCol = v; }
    @Param("tag_col") public void tagCol(String v) { tagCol = v; }
    @Param("priority_col") public void priorityCol(String v) { priorityCol = v; }
    @Param("peer_tag_avp") public void peerTagAvp(String v) { peerTagAvp = v; }
    @Param("peer_tag_mode") public void peerTagMode(int v) { peerTagMode = v != 0; }
    @Param("address_table") public void addressTable(String v) { addressTable = v; }
    @Param("address_file") public void addressFile(String v) { addressFileParam = v; }
    @Param("grp_col") public void grpCol(String v) { grpCol = v; }
    @Param("ip_addr_col") public void ipAddrCol(String v) { ipAddrCol = v; }
    @Param("mask_col") public void maskCol(String v) { maskCol = v; }
    @Param("port_col") public void portCol(String v) { portCol = v; }
    @Param("max_subnets")
    public void maxSubnets(int v) {
        if (v <= 0) throw new IllegalArgumentException("max_subnets must be > 0");
        maxSubnets = v;
    }
    @Param("load_backends") public void loadBackends(int v) { loadBackends = v; }
    @Param("reload_delta") public void reloadDelta(int v) { reloadDelta = v < 0 ? 5 : v; }
    /**
     * How long Kamailio keeps the replaced trusted table before freeing it. A replaced table
     * here is freed by the garbage collector once no request uses it, so there is nothing to time.
     */
    @Param("trusted_cleanup_interval") public void trustedCleanupInterval(int v) {}

    @Override
    public void init(ProxyServices services) {
        if (loadBackends == 0) throw new IllegalArgumentException("permissions: failure - no backend to be loaded");
        String cfg = services.globalParam("cfg_file");
        cfgDir = cfg == null ? null : Path.of(cfg).toAbsolutePath().getParent();
        tagAvp = tagAvpName(peerTagAvp);
        if ((loadBackends & LOAD_ALLOWFILE) != 0 || (loadBackends & LOAD_DENYFILE) != 0) {
            Path a = (loadBackends & LOAD_ALLOWFILE) != 0 ? path(defaultAllowFile) : null;
            Path d = (loadBackends & LOAD_DENYFILE) != 0 ? path(defaultDenyFile) : null;
            defaults = new RulePair(a, a == null ? RuleFile.EMPTY : RuleFile.load(a), d, d == null ? RuleFile.EMPTY : RuleFile.load(d));
        }
        boolean wantsDb = dbUrl != null && ((loadBackends & LOAD_TRUSTEDDB) != 0
                || ((loadBackends & LOAD_ADDRESSDB) != 0 && addressFileParam == null));
        if (wantsDb) db = Databases.bind(services, "permissions", dbUrl);
        if ((loadBackends & LOAD_TRUSTEDDB) != 0 && db != null) {
            try {
                db.checkTableVersion(trustedTable, TABLE_VERSION);
            } catch (DbException e) {
                throw new DbException("permissions: " + e.getMessage(), e);
            }
            if (dbMode == 1) trusted = loadTrusted();
        }
        if ((loadBackends & LOAD_ADDRESSDB) != 0) {
            if (addressFileParam != null && !addressFileParam.isEmpty()) {
                addressFile = path(addressFileParam);
                addresses = loadAddresses();
            } else if (db != null) {
                try {
                    db.checkTableVersion(addressTable, TABLE_VERSION);
                } catch (DbException e) {
                    throw new DbException("permissions: " + e.getMessage(), e);
                }
                addresses = loadAddresses();
            } else {
                ScriptLog.log(ScriptLog.INFO, "permissions: db_url parameter of permissions module not set, disabling allow_address");
            }
        }
    }

    /** get_pathname: a name without '/' is relative to the cfg file's folder. */
    private Path path(String name) {
        if (name.indexOf('/') >= 0 || cfgDir == null) return Path.of(name);
        return cfgDir.resolve(name);
    }

    private static String tagAvpName(String spec) {
        if (spec == null || spec.isEmpty()) return null;
        PvSpec s;
        try {
            s = PvSpec.parse(spec.strip());
        } catch (IllegalArgumentException e) {
            s = null;
        }
        if (s == null || !"avp".equals(s.name()) || s.param() == null || s.param().isEmpty()) {
            throw new IllegalArgumentException("permissions: malformed or non AVP " + spec + " peer_tag_avp definition");
        }
        return s.param();
    }

    // ---- loading

    /** @throws IllegalStateException naming the problem when the table cannot be loaded */
    private AddressTables loadAddresses() {
        AddressTables t = new AddressTables(maxSubnets);
        if (addressFile != null) {
            AddressFile.load(addressFile, t);
            return t;
        }
        DbResult r;
        try {
            r = db.query(addressTable, List.of(), List.of(grpCol, ipAddrCol, maskCol, portCol, tagCol), null);
        } catch (DbException e) {
            throw new IllegalStateException("failed to query database: " + e.getMessage(), e);
        }
        for (DbRow row : r.rows()) {
            DbValue grp = row.get(0), ip = row.get(1), mask = row.get(2), port = row.get(3), tag = row.get(4);
            if (grp.isNull() || grp.asLong() <= 0 || ip.isNull() || mask.isNull() || port.isNull()) {
                throw new IllegalStateException("database problem - invalid record");
            }
            try {
                t.insert(grp.asInt(), ip.asString(), mask.asInt(), port.asInt(), tag.isNull() ? null : tag.asString());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("database problem - invalid record: " + e.getMessage(), e);
            }
        }
        return t;
    }

    private TrustedTable loadTrusted() {
        DbResult r;
        try {
            r = db.query(trustedTable, List.of(), List.of(sourceCol, protoCol, fromCol, ruriCol, tagCol, priorityCol), null);
        } catch (DbException e) {
            throw new IllegalStateException("failed to query database: " + e.getMessage(), e);
        }
        TrustedTable t = new TrustedTable();
        for (DbRow row : r.rows()) {
            if (row.get(0).isNull() || row.get(1).isNull()) throw new IllegalStateException("database problem");
            try {
                t.insert(row.get(0).asString(), row.get(1).asString(), str(row.get(2)), str(row.get(3)), str(row.get(4)),
                        row.get(5).isNull() ? 0 : row.get(5).asInt());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("hash table problem: " + e.getMessage(), e);
            }
        }
        return t;
    }

    private static String str(DbValue v) {
        return v.isNull() ? null : v.asString();
    }

    // ---- address table

    private void tag(MessageContext ctx, String tag) {
        if (tagAvp != null && tag != null) AvpStore.of(ctx).add(tagAvp, tag);
    }

    /** The source address; null for a message that was not received (a local request of an event route). */
    private static IpAddr source(MessageContext ctx) {
        return ctx.received() == null ? null : IpAddr.of(ctx.received().source().getAddress());
    }

    private int allowSource(MessageContext ctx, int group) {
        AddressTables t = addresses;
        if (t == null || source(ctx) == null) return -1;
        AddressTables.Entry e = t.match(group, source(ctx), ctx.received().source().getPort());
        if (e == null) return -1;
        tag(ctx, e.tag());
        return 1;
    }

    /** The source address and port are in the address table's group 1. */
    @Export(value = "allow_source_address_1", natives = "allow_source_address", nativeOnly = true, returns = {1, -1})
    public int allow_source_address_1(MessageContext ctx) {
        return allowSource(ctx, 1);
    }

    /** The source address and port are in the group. */
    @Export(returns = {1, -1})
    public int allow_source_address(MessageContext ctx, int group) {
        return allowSource(ctx, group);
    }

    /** The address (IP literal or name) and port are in the group. */
    @Export(returns = {1, -1})
    public int allow_address(MessageContext ctx, int group, String addr, int port) {
        AddressTables t = addresses;
        if (t == null) return -1;
        IpAddr ip = IpAddr.parse(addr);
        AddressTables.Entry e = ip != null ? t.match(group, ip, port) : t.matchDomain(group, addr, port);
        if (e == null) return -1;
        tag(ctx, e.tag());
        return 1;
    }

    /** The group of the first entry holding the source address and port, or -1. */
    @Export(intValue = true, returns = {-1})
    public int allow_source_address_group(MessageContext ctx) {
        AddressTables t = addresses;
        if (t == null || source(ctx) == null) return -1;
        AddressTables.Entry e = t.find(source(ctx), ctx.received().source().getPort());
        if (e == null) return -1;
        tag(ctx, e.tag());
        return e.grp();
    }

    /** The group of the first entry holding the address and port, or -1 (names give no tag, as in Kamailio). */
    @Export(intValue = true, returns = {-1})
    public int allow_address_group(MessageContext ctx, String addr, int port) {
        AddressTables t = addresses;
        if (t == null) return -1;
        IpAddr ip = IpAddr.parse(addr);
        if (ip == null) {
            AddressTables.Entry e = t.findDomain(addr, port);
            return e == null ? -1 : e.grp();
        }
        AddressTables.Entry e = t.find(ip, port);
        if (e == null) return -1;
        tag(ctx, e.tag());
        return e.grp();
    }

    // ---- trusted table

    private static int proto(Protocol p) {
        return switch (p) {
            case UDP -> TrustedTable.UDP;
            case TCP -> TrustedTable.TCP;
            case TLS -> TrustedTable.TLS;
            case SCTP -> TrustedTable.SCTP;
            case WS -> TrustedTable.WS;
            case WSS -> TrustedTable.WSS;
        };
    }

    private static String fromUri(MessageContext ctx) {
        try {
            String u = ctx.msg().from().uri();
            return u.length() > MAX_URI_SIZE ? null : u;
        } catch (SipParseException e) {
            return null;
        }
    }

    /** The request's R-URI as received (Kamailio matches first_line's URI, not a rewritten one). */
    private static String ruri(MessageContext ctx) {
        String u = ctx.msg().isRequest() ? ctx.msg().originalRequestUri() : "";
        return u == null ? "" : u;
    }

    /** allow_trusted: the number of matching rows with peer_tag_mode, else 1; -1 none or error. */
    int allowTrusted(MessageContext ctx, String srcIp, int proto, String from) {
        String ruri = ruri(ctx);
        if (ruri.length() > MAX_URI_SIZE) return -1;
        int count = 0;
        if (dbMode == 0) {
            if (db == null || (loadBackends & LOAD_TRUSTEDDB) == 0) {
                ScriptLog.log(ScriptLog.ERR, "permissions: no connection to database");
                return -1;
            }
            DbResult r;
            try {
                r = db.query(trustedTable, List.of(DbCond.eq(sourceCol, srcIp)), List.of(protoCol, fromCol, ruriCol, tagCol), priorityCol);
            } catch (DbException e) {
                ScriptLog.log(ScriptLog.ERR, "permissions: failed to query database: " + e.getMessage());
                return -1;
            }
            for (DbRow row : r.rows()) {
                if (row.get(0).isNull() || !protoMatches(row.get(0).asString(), proto)) continue;
                if (!patternMatches(str(row.get(1)), from) || !patternMatches(str(row.get(2)), ruri)) continue;
                tag(ctx, str(row.get(3)));
                if (!peerTagMode) return 1;
                count++;
            }
            return count == 0 ? -1 : count;
        }
        TrustedTable t = trusted;
        if (t == null) return -1;
        for (TrustedTable.Entry e : t.candidates(srcIp, proto)) {
            if (e.pattern() != null && (e.from() == null || !e.from().matcher(from).find())) continue;
            if (e.ruriPattern() != null && (e.ruri() == null || !e.ruri().matcher(ruri).find())) continue;
            tag(ctx, e.tag());
            if (!peerTagMode) return 1;
            count++;
        }
        return count == 0 ? -1 : count;
    }

    /** match_proto of db_mode 0: the row's word against the request's protocol. */
    private static boolean protoMatches(String word, int proto) {
        if (proto == TrustedTable.ANY || word.equalsIgnoreCase("any")) return true;
        int p = TrustedTable.proto(word);
        return p == proto;
    }

    private boolean patternMatches(String bre, String value) {
        if (bre == null) return true;
        try {
            return trustedPatterns.compile(BasicRegex.toExtended(bre), 0).matcher(value).find();
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "permissions: invalid regular expression");
            return false;
        }
    }

    /** The source address, protocol and From URI are trusted. */
    @Export(routes = RouteType.ANY, returns = {1, -1})
    public int allow_trusted(MessageContext ctx) {
        String from = fromUri(ctx);
        if (from == null || source(ctx) == null) return -1;
        return allowTrusted(ctx, source(ctx).toString(), proto(ctx.received().socket().proto()), from);
    }

    /** Source IP and protocol ("any", "udp" ...) given, the From URI of the request. */
    @Export(value = "allow_trusted_2", natives = "allow_trusted", nativeOnly = true, returns = {1, -1})
    public int allow_trusted_2(MessageContext ctx, String srcIp, String proto) {
        String from = fromUri(ctx);
        if (from == null) return -1;
        return allowTrustedFrom(ctx, srcIp, proto, from);
    }

    /** Source IP, protocol and From URI given. */
    @Export(value = "allow_trusted_3", natives = "allow_trusted", nativeOnly = true, returns = {1, -1})
    public int allow_trusted_3(MessageContext ctx, String srcIp, String proto, String from) {
        return allowTrustedFrom(ctx, srcIp, proto, from);
    }

    private int allowTrustedFrom(MessageContext ctx, String srcIp, String protoWord, String from) {
        int p = TrustedTable.proto(protoWord);
        if (p < 0 || protoWord.length() < 2 || protoWord.length() > 4) {
            ScriptLog.log(ScriptLog.ERR, "permissions: unknown protocol " + protoWord);
            return -1;
        }
        return allowTrusted(ctx, srcIp, p, from);
    }

    // ---- allow/deny files

    private RulePair pair(String allowFile, String denyFile) {
        Path a = path(allowFile), d = path(denyFile);
        if (a.equals(defaults.allowPath()) && d.equals(defaults.denyPath())) return defaults;
        return rules.computeIfAbsent(a + "\0" + d, k -> new RulePair(a, RuleFile.load(a), d, RuleFile.load(d)));
    }

    private static String plainUri(String user, String host) {
        return user == null || user.isEmpty() ? "sip:" + host : "sip:" + user + "@" + host;
    }

    /** check_routing: From against the R-URI and (check_all_branches) every branch. */
    private int checkRouting(MessageContext ctx, RulePair p) {
        if (p.empty()) return 1;
        String from;
        String ruri;
        try {
            from = ctx.msg().from().uri();
            SipUri u = ctx.msg().parsedRequestUri();
            ruri = "sip:" + (u.user() == null ? "" : u.user()) + "@" + u.host();
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "permissions: failed to parse message: " + e.getMessage());
            return -1;
        }
        if (from.length() > EXPRESSION_LENGTH || ruri.length() > EXPRESSION_LENGTH) return -1;
        if (p.allow().matches(from, ruri)) {
            if (!checkAllBranches) return 1;
        } else {
            if (p.deny().matches(from, ruri)) return -1;
            if (!checkAllBranches) return 1;
        }
        for (String branch : ctx.branches()) {
            String b;
            try {
                SipUri u = SipUri.parse(branch);
                b = plainUri(u.user(), u.host());
            } catch (SipParseException e) {
                ScriptLog.log(ScriptLog.ERR, "permissions: failed to extract plain URI");
                return -1;
            }
            if (b.length() > EXPRESSION_LENGTH) return -1;
            if (p.allow().matches(from, b)) continue;
            if (p.deny().matches(from, b)) return -1;
        }
        return 1;
    }

    /** From/R-URI against the default allow and deny files. */
    @Export(value = "allow_routing_0", natives = "allow_routing", nativeOnly = true, returns = {1, -1})
    public int allow_routing_0(MessageContext ctx) {
        return checkRouting(ctx, defaults);
    }

    /** From/R-URI against basename.allow and basename.deny. */
    @Export(value = "allow_routing_1", natives = "allow_routing", nativeOnly = true, returns = {1, -1})
    public int allow_routing_1(MessageContext ctx, String basename) {
        return checkRouting(ctx, pair(basename + allowSuffix, basename + denySuffix));
    }

    /** From/R-URI against the two files. */
    @Export(value = "allow_routing_2", natives = "allow_routing", nativeOnly = true, returns = {1, -1})
    public int allow_routing_2(MessageContext ctx, String allowFile, String denyFile) {
        return checkRouting(ctx, pair(allowFile, denyFile));
    }

    /** check_register: To against every Contact; no Contact or "*" passes. */
    private int checkRegister(MessageContext ctx, RulePair p) {
        if (p.empty()) return 1;
        String to;
        List<NameAddr> contacts;
        try {
            to = ctx.msg().to().uri();
            contacts = ctx.msg().contacts();
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "permissions: failed to parse headers: " + e.getMessage());
            return -1;
        }
        if (contacts.isEmpty()) return 1;
        if (contacts.stream().anyMatch(c -> "*".equals(c.uri()))) return 1;
        if (to.length() > EXPRESSION_LENGTH) return -1;
        for (NameAddr c : contacts) {
            String plain;
            try {
                SipUri u = c.parsedUri();
                plain = plainUri(u.user(), u.host());
            } catch (SipParseException e) {
                ScriptLog.log(ScriptLog.ERR, "permissions: can't extract plain Contact URI");
                return -1;
            }
            if (plain.length() > EXPRESSION_LENGTH) return -1;
            if (p.allow().matches(to, plain) && checkAllBranches) continue;
            if (p.deny().matches(to, plain)) return -1;
        }
        return 1;
    }

    /** To/Contacts against basename.allow and basename.deny. */
    @Export(value = "allow_register_1", natives = "allow_register", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int allow_register_1(MessageContext ctx, String basename) {
        return checkRegister(ctx, pair(basename + allowSuffix, basename + denySuffix));
    }

    /** To/Contacts against the two files. */
    @Export(value = "allow_register_2", natives = "allow_register", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int allow_register_2(MessageContext ctx, String allowFile, String denyFile) {
        return checkRegister(ctx, pair(allowFile, denyFile));
    }

    /** From against a URI (the value of the second parameter) in basename.allow / basename.deny. */
    @Export(natives = "allow_uri", nativeOnly = true, routes = RouteType.REQUEST | RouteType.FAILURE, returns = {1, -1})
    public int allow_uri(MessageContext ctx, String basename, String uri) {
        RulePair p = pair(basename + allowSuffix, basename + denySuffix);
        if (p.empty()) return 1;
        String from;
        try {
            from = ctx.msg().from().uri();
        } catch (SipParseException e) {
            return -1;
        }
        if (from.length() > EXPRESSION_LENGTH || uri == null || uri.length() > EXPRESSION_LENGTH) return -1;
        if (p.allow().matches(from, uri)) return 1;
        return p.deny().matches(from, uri) ? -1 : 1;
    }

    // ---- RPC

    @Override
    public void registerRpc(RpcRegistry r) {
        r.register("permissions.addressReload", p -> reload(this::reloadAddresses));
        r.register("permissions.trustedReload", p -> reload(this::reloadTrusted));
        r.register("permissions.addressDump", p -> need(addresses, "No address table").dumpAddresses());
        r.register("permissions.subnetDump", p -> need(addresses, "No subnet table").dumpSubnets());
        r.register("permissions.domainDump", p -> need(addresses, "No domain list table").dumpDomains());
        r.register("permissions.trustedDump", p -> need(trusted, "No trusted table").dump());
        r.register("permissions.testUri", this::testUri);
        r.register("permissions.allowUri", this::testUri);
    }

    private static <T> T need(T table, String fault) {
        if (table == null) throw new RpcException(500, fault);
        return table;
    }

    /** rpc_check_reload: one reload (of either table) per reload_delta seconds. */
    private synchronized Object reload(Runnable what) {
        long now = System.currentTimeMillis() / 1000;
        if (lastReload != 0 && lastReload > now - reloadDelta) throw new RpcException(500, "ongoing reload");
        lastReload = now;
        try {
            what.run();
        } catch (IllegalStateException | DbException e) {
            ScriptLog.log(ScriptLog.ERR, "permissions: reload failed: " + e.getMessage());
            throw new RpcException(500, "Reload failed.");
        }
        return "Reload OK";
    }

    private void reloadAddresses() {
        if (addresses == null || (addressFile == null && db == null)) throw new IllegalStateException("db_url not set");
        addresses = loadAddresses();
    }

    private void reloadTrusted() {
        if (db == null) throw new IllegalStateException("db_url not set");
        if (trusted == null) throw new IllegalStateException("in-memory hash table not initialized");
        trusted = loadTrusted();
    }

    /** permissions.testUri basename uri contact: the pair against basename.allow (loaded already) and its deny file. */
    private Object testUri(List<Object> p) {
        if (p.size() < 3) throw new RpcException(500, "Not enough parameters (basename, URI and contact)");
        String basename = String.valueOf(p.get(0)), uri = String.valueOf(p.get(1)), contact = String.valueOf(p.get(2));
        if (contact.length() > MAX_URI_SIZE) throw new RpcException(500, "Contact is too long");
        if (basename.length() + allowSuffix.length() + 1 > 128) throw new RpcException(500, "Basename is too long");
        Path allow = path(basename + allowSuffix);
        RulePair pair = allow.equals(defaults.allowPath()) ? defaults : null;
        if (pair == null) {
            for (RulePair r : rules.values()) {
                if (allow.equals(r.allowPath())) {
                    pair = r;
                    break;
                }
            }
        }
        if (pair == null) {
            ScriptLog.log(ScriptLog.ERR, "permissions: File <" + allow + "> has not been loaded");
            return "Denied";
        }
        if (pair.empty() || pair.allow().matches(uri, contact)) return "Allowed";
        return pair.deny().matches(uri, contact) ? "Denied" : "Allowed";
    }

    /** The address_file format: "grp address [mask [port [tag]]]" per line, '#' comments. */
    static final class AddressFile {
        private AddressFile() {}

        static void load(Path file, AddressTables t) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new IllegalStateException("can't open list file [" + file + "]", e);
            }
            for (String line : lines) {
                String s = line.strip();
                int hash = s.indexOf('#');
                if (hash >= 0) s = s.substring(0, hash).strip();
                if (s.isEmpty()) continue;
                String[] f = s.split("[ \t]+");
                if (f.length < 2) throw new IllegalStateException("invalid line in " + file + ": " + line);
                try {
                    t.insert(num(f[0]), f[1], f.length > 2 ? num(f[2]) : 0, f.length > 3 ? num(f[3]) : 0, f.length > 4 ? f[4] : null);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("invalid line in " + file + ": " + line, e);
                }
            }
        }

        /** PERM_FADDR_PARSENUM: the leading digits, 0 when none. */
        private static int num(String s) {
            int v = 0;
            for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) v = v * 10 + (s.charAt(i) - '0');
            return v;
        }
    }
}
