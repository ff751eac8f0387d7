package dev.kemi.runtime.modules.auth_db;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
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
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.auth.AuthApi;
import dev.kemi.runtime.modules.auth.AuthApi.HeaderType;
import dev.kemi.runtime.modules.auth.AuthApi.PreAuth;
import dev.kemi.runtime.modules.auth.AuthApi.Result;
import dev.kemi.runtime.modules.auth.AuthCodes;
import dev.kemi.runtime.modules.auth.AuthModule;
import dev.kemi.runtime.modules.auth.DigestCredentials;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Digest authentication against Kamailio's {@code subscriber} table (version 7), through the
 * auth module's API: www/proxy_authorize, auth_check, is_subscriber, load_credentials.
 */
@Module(value = "auth_db", loadName = "auth_db")
public final class AuthDbModule implements RuntimeModule {
    static final int TABLE_VERSION = 7;
    /** is_subscriber flags. */
    static final int SUBS_USE_DOMAIN = 1, SUBS_SKIP_CREDENTIALS = 2;

    private String dbUrl = "mysql://kamailioro:kamailioro@localhost/kamailio";
    private String userColumn = "username";
    private String domainColumn = "domain";
    private String passColumn = "ha1";
    private String passColumn2 = "ha1b";
    private boolean calculateHa1;
    private boolean useDomain;
    private String loadCredentials;
    private boolean versionTable = true;
    private boolean forceGenerateAvps;

    private AuthApi auth;
    private Database db;
    private List<Credential> credentials = List.of();
    /** Tables whose version was checked: the error text, or "" when good. */
    private final Map<String, String> checkedTables = new ConcurrentHashMap<>();

    @Param("db_url") public void dbUrl(String v) { dbUrl = v; }
    @Param("user_column") public void userColumn(String v) { userColumn = v; }
    @Param("domain_column") public void domainColumn(String v) { domainColumn = v; }
    @Param("password_column") public void passwordColumn(String v) { passColumn = v; }
    @Param("password_column_2") public void passwordColumn2(String v) { passColumn2 = v; }
    @Param("calculate_ha1") public void calculateHa1(int v) { calculateHa1 = v != 0; }
    @Param("use_domain") public void useDomain(int v) { useDomain = v != 0; }
    @Param("load_credentials") public void loadCredentials(String v) { loadCredentials = v; }
    @Param("version_table") public void versionTable(int v) { versionTable = v != 0; }
    @Param("force_generate_avps") public void forceGenerateAvps(int v) { forceGenerateAvps = v != 0; }

    @Override
    public void init(ProxyServices services) {
        credentials = Credential.parseList(loadCredentials);
        auth = services.api(AuthApi.class, "auth_db", "auth");
        db = Databases.bind(services, "auth_db", dbUrl);
    }

    /**
     * Kamailio checks the table version of www/proxy_authorize's table when it loads the cfg;
     * here on the first call with that table: a wrong version fails every call with it (-1).
     */
    private boolean tableUsable(String table) {
        if (!versionTable) return true;
        String err = checkedTables.computeIfAbsent(table, t -> {
            try {
                db.checkTableVersion(t, TABLE_VERSION);
                return "";
            } catch (DbException e) {
                return e.getMessage();
            }
        });
        if (err.isEmpty()) return true;
        ScriptLog.log(ScriptLog.ERR, "auth_db: " + err);
        return false;
    }

    /** get_ha1: 0 found (ha1[0] set, row[0] for the credentials), 1 no such user, -1 error. */
    private int ha1(DigestCredentials cred, String realm, String table, String[] ha1, DbRow[] row) {
        List<String> cols = new ArrayList<>(1 + credentials.size());
        boolean hasDomain = cred.domain != null && !cred.domain.isEmpty();
        cols.add(hasDomain && !calculateHa1 ? passColumn2 : passColumn);
        for (Credential c : credentials) cols.add(c.column());
        List<DbCond> where = new ArrayList<>(2);
        where.add(DbCond.eq(userColumn, cred.user));
        if (useDomain) where.add(DbCond.eq(domainColumn, hasDomain ? cred.domain : realm));
        DbResult r;
        try {
            r = db.query(table, where, cols, null);
        } catch (DbException e) {
            ScriptLog.log(ScriptLog.ERR, "auth_db: failed to query database: " + e.getMessage());
            return -1;
        }
        if (r.isEmpty()) return 1;
        row[0] = r.row(0);
        String stored = row[0].get(0).isNull() ? "" : row[0].get(0).asString();
        ha1[0] = calculateHa1 ? auth.ha1(cred.username, realm, stored) : stored;
        return 0;
    }

    private void generateAvps(MessageContext ctx, DbRow row) {
        for (int i = 0; i < credentials.size(); i++) credentials.get(i).store(ctx, row.get(1 + i));
    }

    /** digest_authenticate: the credentials for realm checked against the table. */
    int authenticate(MessageContext ctx, String realm, String table, HeaderType type, String method, DigestCredentials[] used) {
        PreAuth pre = auth.preAuth(ctx, realm, type);
        if (pre.result() != Result.DO_AUTHENTICATION) return AuthCodes.of(pre.result());
        DigestCredentials cred = pre.credentials();
        if (used != null) used[0] = cred;
        String r = auth.stripRealm(realm);
        String[] ha1 = new String[1];
        DbRow[] row = new DbRow[1];
        int found = ha1(cred, r, table, ha1, row);
        if (found < 0) return AuthCodes.ERROR;
        if (found > 0) return AuthCodes.USER_UNKNOWN;
        if (forceGenerateAvps) generateAvps(ctx, row[0]);
        Result check = auth.checkResponse(ctx, cred, method, ha1[0]);
        if (check == Result.AUTHENTICATED) {
            if (auth.postAuth(ctx, cred, ha1[0]) != Result.AUTHENTICATED) return AuthCodes.ERROR;
            if (!forceGenerateAvps) generateAvps(ctx, row[0]);
            return AuthCodes.OK;
        }
        return check == Result.NOT_AUTHENTICATED ? AuthCodes.INVALID_PASSWORD : AuthCodes.ERROR;
    }

    private int authorize(MessageContext ctx, String realm, String table, HeaderType type, String method) {
        if (realm.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "auth_db: invalid realm parameter - empty value");
            return AuthCodes.ERROR;
        }
        if (!tableUsable(table)) return AuthCodes.ERROR;
        return authenticate(ctx, realm, table, type, method, null);
    }

    @Export(natives = {"www_authorize", "www_authenticate"}, nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -3, -4, -5, -6})
    public int www_authorize(MessageContext ctx, String realm, String table) {
        return authorize(ctx, realm, table, HeaderType.WWW, ctx.msg().method());
    }

    @Export(value = "www_authenticate_method", natives = "www_authenticate", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -3, -4, -5, -6})
    public int www_authenticate_method(MessageContext ctx, String realm, String table, String method) {
        if (method.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "auth_db: invalid method parameter - empty value");
            return AuthCodes.ERROR;
        }
        return authorize(ctx, realm, table, HeaderType.WWW, method);
    }

    @Export(natives = {"proxy_authorize", "proxy_authenticate"}, nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -3, -4, -5, -6})
    public int proxy_authorize(MessageContext ctx, String realm, String table) {
        return authorize(ctx, realm, table, HeaderType.PROXY, ctx.msg().method());
    }

    /**
     * WWW credentials for REGISTER, proxy ones otherwise; flags 1 also checks the auth user
     * against From/To (2: not for INVITE, BYE, PRACK, UPDATE, MESSAGE). ACK and CANCEL pass.
     */
    @Export(routes = RouteType.REQUEST, returns = {1, -1, -2, -3, -4, -5, -6, -8})
    public int auth_check(MessageContext ctx, String realm, String table, int flags) {
        String method = ctx.msg().method();
        if ("ACK".equals(method) || "CANCEL".equals(method)) return AuthCodes.OK;
        if (realm.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "auth_db: invalid realm parameter - empty value");
            return AuthCodes.ERROR;
        }
        if (table.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "auth_db: invalid table parameter - empty value");
            return AuthCodes.ERROR;
        }
        DigestCredentials[] used = new DigestCredentials[1];
        HeaderType type = "REGISTER".equals(method) ? HeaderType.WWW : HeaderType.PROXY;
        int ret = authenticate(ctx, realm, table, type, method, used);
        if (ret == AuthCodes.OK && used[0] != null && (flags & AuthCodes.CHECK_ID) != 0) {
            return AuthModule.checkIdentity(ctx, used[0].user, flags, useDomain);
        }
        return ret;
    }

    /** 1 the URI's user (and host with flags 1) has a row in the table; -2 none; -1 error. */
    @Export(routes = RouteType.ANY, returns = {1, -1, -2, -3})
    public int is_subscriber(MessageContext ctx, String uri, String table, int flags) {
        if (uri.isEmpty() || table.isEmpty()) return -1;
        SipUri u;
        try {
            u = SipUri.parse(uri);
        } catch (SipParseException e) {
            ScriptLog.log(ScriptLog.ERR, "auth_db: invalid uri parameter format");
            return -1;
        }
        boolean skip = (flags & SUBS_SKIP_CREDENTIALS) != 0;
        List<String> cols = new ArrayList<>();
        if (skip) cols.add(userColumn);
        else for (Credential c : credentials) cols.add(c.column());
        List<DbCond> where = new ArrayList<>(2);
        where.add(DbCond.eq(userColumn, u.user() == null ? "" : u.user()));
        if ((flags & SUBS_USE_DOMAIN) != 0 && u.host() != null && !u.host().isEmpty()) where.add(DbCond.eq(domainColumn, u.host()));
        DbResult r;
        try {
            r = db.query(table, where, cols.isEmpty() ? List.of(userColumn) : cols, null);
        } catch (DbException e) {
            ScriptLog.log(ScriptLog.ERR, "auth_db: failed to query database: " + e.getMessage());
            return -1;
        }
        if (r.isEmpty()) return -2;
        if (!skip) {
            DbRow row = r.row(0);
            for (int i = 0; i < credentials.size(); i++) credentials.get(i).store(ctx, row.get(i));
        }
        return 1;
    }
}
