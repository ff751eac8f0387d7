package dev.kemi.runtime.modules.auth;

import dev.kemi.api.Export;
import dev.kemi.api.Module;
import dev.kemi.api.Param;
import dev.kemi.api.Pv;
import dev.kemi.api.PvExports;
import dev.kemi.api.PvName;
import dev.kemi.api.PvSpec;
import dev.kemi.api.RouteType;
import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.core.RuntimeModule;
import dev.kemi.runtime.modules.HeaderEdits;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.modules.pv.AvpStore;
import dev.kemi.runtime.modules.pv.PvModule;
import dev.kemi.runtime.modules.sl.ReplyExtras;
import dev.kemi.runtime.modules.sl.SlModule;
import dev.kemi.runtime.sip.Header;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * Digest authentication (Kamailio's auth module): challenges, nonces, checks against a password
 * the script supplies (pv_*), and the API auth_db uses. Nonces, challenge headers, return codes
 * and replies are those of Kamailio 5.6.3.
 */
@Module(value = "auth", loadName = "auth")
public final class AuthModule implements RuntimeModule, AuthApi, PvExports {
    private static final int ROUTES_CHALLENGE = RouteType.REQUEST | RouteType.FAILURE | RouteType.ONREPLY;

    private String secret;
    private int nonceExpire = 300;
    private int nonceAuthMaxDrift = 3;
    private String challengeAttr = "$digest_challenge";
    private String proxyChallengeHeader = "Proxy-Authenticate";
    private String wwwChallengeHeader = "WWW-Authenticate";
    private String qopParam = "auth";
    private int checksRegister, checksNoDialog, checksInDialog;
    private boolean nonceCount, oneTimeNonce;
    private int ncArraySize, ncArrayOrder, otnInFlightNo, otnInFlightOrder, nidPoolNo;
    private boolean forceStatelessReply;
    private String realmPrefix = "";
    private boolean useDomain;
    private String algorithmName = "";
    private boolean addAuthinfoHdr;

    private DigestHash hash = DigestHash.MD5;
    private Nonces nonces;
    private String challengeAvp;
    private SlModule sl;

    // ---- modparams (all of 5.6.3's)
    @Param("secret") public void secret(String v) { secret = v; }
    @Param("nonce_expire") public void nonceExpire(int v) { nonceExpire = v; }
    @Param("nonce_auth_max_drift") public void nonceAuthMaxDrift(int v) { nonceAuthMaxDrift = v; }
    /** Declared by 5.6.3 but read nowhere there either: accepted for compatibility, no effect in either. */
    @Param("protect_contacts") public void protectContacts(int v) { }
    @Param("challenge_attr") public void challengeAttr(String v) { challengeAttr = v; }
    @Param("proxy_challenge_header") public void proxyChallengeHeader(String v) { proxyChallengeHeader = v; }
    @Param("www_challenge_header") public void wwwChallengeHeader(String v) { wwwChallengeHeader = v; }
    @Param("qop") public void qop(String v) { qopParam = v; }
    @Param("auth_checks_register") public void authChecksRegister(int v) { checksRegister = v; }
    @Param("auth_checks_no_dlg") public void authChecksNoDlg(int v) { checksNoDialog = v; }
    @Param("auth_checks_in_dlg") public void authChecksInDlg(int v) { checksInDialog = v; }
    @Param("nonce_count") public void nonceCount(int v) { nonceCount = v != 0; }
    @Param("nc_array_size") public void ncArraySize(int v) { ncArraySize = v; }
    @Param("nc_array_order") public void ncArrayOrder(int v) { ncArrayOrder = v; }
    @Param("one_time_nonce") public void oneTimeNonce(int v) { oneTimeNonce = v != 0; }
    @Param("otn_in_flight_no") public void otnInFlightNo(int v) { otnInFlightNo = v; }
    @Param("otn_in_flight_order") public void otnInFlightOrder(int v) { otnInFlightOrder = v; }
    @Param("nid_pool_no") public void nidPoolNo(int v) { nidPoolNo = v; }
    @Param("force_stateless_reply") public void forceStatelessReply(int v) { forceStatelessReply = v != 0; }
    @Param("realm_prefix") public void realmPrefix(String v) { realmPrefix = v; }
    @Param("use_domain") public void useDomain(int v) { useDomain = v != 0; }
    @Param("algorithm") public void algorithm(String v) { algorithmName = v; }
    @Param("add_authinfo_hdr") public void addAuthinfoHdr(int v) { addAuthinfoHdr = v != 0; }

    @Override
    public void init(ProxyServices services) {
        sl = services.api(SlModule.class, "auth", "sl");
        if (challengeAttr == null || challengeAttr.isEmpty() || challengeAttr.charAt(0) != '$') {
            throw new IllegalArgumentException("auth: Invalid value of challenge_attr module parameter");
        }
        challengeAvp = avpName(challengeAttr.substring(1));
        DigestCredentials.Qop qop = DigestCredentials.parseQop(qopParam);
        if (qop == DigestCredentials.Qop.OTHER) throw new IllegalArgumentException("auth: Unsupported qop parameter value");
        boolean nc = nonceCount && qop != DigestCredentials.Qop.UNSPEC; // 5.6.3 turns nonce_count off without qop
        if (algorithmName.isEmpty() || algorithmName.equals("MD5")) hash = DigestHash.MD5;
        else if (algorithmName.equals("SHA-256")) hash = DigestHash.SHA256;
        else throw new IllegalArgumentException("auth: Invalid algorithm provided. Possible values are \"\", \"MD5\" or \"SHA-256\"");
        byte[] s1, s2;
        if (secret == null) {
            s1 = randomSecret();
            s2 = randomSecret();
        } else {
            byte[] all = secret.getBytes(StandardCharsets.UTF_8);
            s1 = all;
            s2 = new byte[0];
            if (checksRegister != 0 || checksInDialog != 0 || checksNoDialog != 0) {
                // the secret is split in two halves, the second for the extra checks
                int half = all.length / 2;
                s1 = java.util.Arrays.copyOfRange(all, 0, all.length - half);
                s2 = java.util.Arrays.copyOfRange(all, all.length - half, all.length);
            }
        }
        NonceIds ids = nc || oneTimeNonce ? new NonceIds(nidPoolNo) : null;
        NonceCounts counts = nc ? new NonceCounts(ids, order(ncArrayOrder, ncArraySize, 1 << 20)) : null;
        OneTimeNonces otn = oneTimeNonce ? new OneTimeNonces(ids, order(otnInFlightOrder, otnInFlightNo, 1 << 20)) : null;
        nonces = new Nonces(s1, s2, nonceExpire, nonceAuthMaxDrift, checksRegister, checksNoDialog, checksInDialog,
                ids, counts, otn);
    }

    /** 2^k slots: the order if given, else the size rounded down to a power of two. */
    private static int order(int order, int size, int dflt) {
        if (order > 0) return order;
        int n = size > 0 ? size : dflt;
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    /** 32 printable characters, as Kamailio makes its secrets when none is given. */
    private static byte[] randomSecret() {
        SecureRandom r = new SecureRandom();
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (32 + r.nextInt(95));
        return b;
    }

    /** An AVP name as challenge_attr gives it ("s:name", "name"). */
    private static String avpName(String ident) {
        String n = ident;
        if (n.startsWith("avp(") && n.endsWith(")")) n = n.substring(4, n.length() - 1);
        if (n.startsWith("s:") || n.startsWith("i:")) n = n.substring(2);
        return n;
    }

    // ---- the API (pre_auth, post_auth ...)
    @Override
    public String stripRealm(String realm) {
        if (realmPrefix.isEmpty() || realmPrefix.length() > realm.length()) return realm;
        return realm.startsWith(realmPrefix) ? realm.substring(realmPrefix.length()) : realm;
    }

    private static boolean unauthenticatedMethod(SipMessage m) {
        String method = m.method();
        return "ACK".equals(method) || "CANCEL".equals(method) || "PRACK".equals(method);
    }

    private static String headerName(HeaderType type) {
        return type == HeaderType.PROXY ? "Proxy-Authorization" : "Authorization";
    }

    @Override
    public PreAuth preAuth(MessageContext ctx, String realm, HeaderType type) {
        if (unauthenticatedMethod(ctx.msg())) return new PreAuth(Result.AUTHENTICATED, null);
        String r = stripRealm(realm);
        AuthState st = AuthState.of(ctx);
        Header found = null;
        DigestCredentials cred = null;
        for (Header h : HeaderEdits.named(ctx.msg(), headerName(type))) {
            DigestCredentials c = st.parse(h);
            if (c == DigestCredentials.MALFORMED) return new PreAuth(Result.ERROR, null);
            if (c == DigestCredentials.NOT_DIGEST) continue;
            if (c.realm != null && c.realm.equalsIgnoreCase(r)) {
                found = h;
                cred = c;
                break;
            }
        }
        if (found == null) return new PreAuth(Result.NO_CREDENTIALS, null);
        st.authorized = found;
        st.authorizedProxy = type == HeaderType.PROXY;
        st.authorizedCredentials = cred;
        if (!cred.complete()) return new PreAuth(Result.BAD_CREDENTIALS, cred);
        int n = nonces.check(cred, ctx);
        return switch (n) {
            case Nonces.OK -> new PreAuth(Result.DO_AUTHENTICATION, cred);
            case Nonces.STALE, Nonces.CHECKS_FAILED -> new PreAuth(Result.STALE_NONCE, cred);
            case Nonces.REUSED -> new PreAuth(Result.NONCE_REUSED, cred);
            default -> new PreAuth(Result.NOT_AUTHENTICATED, cred);
        };
    }

    @Override
    public Result checkResponse(MessageContext ctx, DigestCredentials cred, String method, String ha1) {
        if (cred.response.length() != hash.hexLength) return Result.BAD_CREDENTIALS;
        String mine = response(ctx, cred, method, ha1);
        return mine.equals(cred.response) ? Result.AUTHENTICATED : Result.NOT_AUTHENTICATED;
    }

    private String response(MessageContext ctx, DigestCredentials cred, String method, String ha1) {
        boolean authInt = cred.qopParsed() == DigestCredentials.Qop.AUTH_INT;
        String bodyHash = authInt ? hash.hex(body(ctx)) : null;
        String h = ha1.length() > hash.hexLength ? ha1.substring(0, hash.hexLength) : ha1;
        return hash.response(h, cred.nonce, cred.nc, cred.cnonce, cred.qop == null ? "" : cred.qop, authInt, method,
                cred.uri, bodyHash);
    }

    private static byte[] body(MessageContext ctx) {
        byte[] b = ctx.msg().body();
        return b == null ? new byte[0] : b;
    }

    @Override
    public Result postAuth(MessageContext ctx, DigestCredentials cred, String ha1) {
        if (addAuthinfoHdr && ha1 != null) {
            boolean authInt = cred.qopParsed() == DigestCredentials.Qop.AUTH_INT;
            String rspauth = hash.response(ha1.length() > hash.hexLength ? ha1.substring(0, hash.hexLength) : ha1,
                    cred.nonce, cred.nc, cred.cnonce, cred.qop == null ? "" : cred.qop, authInt, null, cred.uri,
                    authInt ? hash.hex(body(ctx)) : null);
            String next = oneTimeNonce ? nonces.make(ctx) : cred.nonce;
            ReplyExtras.of(ctx).addHeaderText("Authentication-Info: nextnonce=\"" + next + "\", qop=" + str(cred.qop)
                    + ", rspauth=\"" + rspauth + "\", cnonce=\"" + str(cred.cnonce) + "\", nc=" + str(cred.nc));
        }
        return Result.AUTHENTICATED;
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String ha1(String username, String realm, String password) {
        return hash.ha1(username, realm, password);
    }

    /** get_challenge_hf: the whole header line with CRLF. */
    String challengeHeader(MessageContext ctx, boolean stale, String realm, DigestCredentials.Qop qop, HeaderType type) {
        StringBuilder b = new StringBuilder(160);
        b.append(type == HeaderType.PROXY ? proxyChallengeHeader : wwwChallengeHeader);
        b.append(": Digest realm=\"").append(stripRealm(realm)).append("\", nonce=\"").append(nonces.make(ctx)).append('"');
        if (qop == DigestCredentials.Qop.AUTH) b.append(", qop=\"auth\"");
        else if (qop == DigestCredentials.Qop.AUTH_INT) b.append(", qop=\"auth-int\"");
        if (stale) b.append(", stale=true");
        if (!algorithmName.isEmpty()) b.append(", algorithm=").append(algorithmName);
        return b.append("\r\n").toString();
    }

    private static DigestCredentials.Qop challengeQop(int flags) {
        if ((flags & 2) != 0) return DigestCredentials.Qop.AUTH_INT;
        if ((flags & 1) != 0) return DigestCredentials.Qop.AUTH;
        return DigestCredentials.Qop.UNSPEC;
    }

    private int sendReply(MessageContext ctx, int code, String reason, String header) {
        if (header != null) ReplyExtras.of(ctx).addHeaderText(header);
        return forceStatelessReply ? sl.sl_send_reply(ctx, code, reason) : sl.send_reply(ctx, code, reason);
    }

    @Override
    public int challenge(MessageContext ctx, String realm, int flags, HeaderType type) {
        String hf = challengeHeader(ctx, (flags & 16) != 0, realm, challengeQop(flags), type);
        int r = type == HeaderType.WWW ? sendReply(ctx, 401, "Unauthorized", hf)
                : sendReply(ctx, 407, "Proxy Authentication Required", hf);
        return r < 0 ? -3 : 1;
    }

    /** A failed parameter of a challenge function: 500 unless flags has 4; -1 (-4 if that reply fails). */
    private int challengeParamError(MessageContext ctx, int flags) {
        if ((flags & 4) == 0 && sendReply(ctx, 500, "Internal Server Error", null) < 0) return -4;
        return -1;
    }

    @Override
    public int consumeCredentials(MessageContext ctx) {
        if (unauthenticatedMethod(ctx.msg())) return -1;
        AuthState st = AuthState.peek(ctx);
        if (st == null || st.authorized == null) {
            ScriptLog.log(ScriptLog.ERR, "auth: No authorized credentials found (error in scripts)");
            return -1;
        }
        if (!st.consumed) ctx.msg().removeHeader(st.authorized);
        st.consumed = true;
        return 1;
    }

    // ---- exports
    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int consume_credentials(MessageContext ctx) {
        return consumeCredentials(ctx);
    }

    @Export(nativeOnly = true, routes = ROUTES_CHALLENGE, returns = {1, -1, -2, -3, -4})
    public int www_challenge(MessageContext ctx, String realm, int flags) {
        if (realm.isEmpty()) return challengeParamError(ctx, flags);
        return challenge(ctx, realm, flags, HeaderType.WWW);
    }

    @Export(nativeOnly = true, routes = ROUTES_CHALLENGE, returns = {1, -1, -2, -3, -4})
    public int proxy_challenge(MessageContext ctx, String realm, int flags) {
        if (realm.isEmpty()) return challengeParamError(ctx, flags);
        return challenge(ctx, realm, flags, HeaderType.PROXY);
    }

    /** KEMI auth_challenge: no ACK/CANCEL or empty-realm check (Kamailio's KEMI entry has none). */
    @Export(kemiOnly = true, routes = ROUTES_CHALLENGE, returns = {1, -2, -3, -4})
    public int auth_challenge(MessageContext ctx, String realm, int flags) {
        return challenge(ctx, realm, flags, "REGISTER".equals(ctx.msg().method()) ? HeaderType.WWW : HeaderType.PROXY);
    }

    @Export(value = "auth_challenge_native", natives = "auth_challenge", nativeOnly = true, routes = ROUTES_CHALLENGE, returns = {1, -1, -2, -3, -4})
    public int auth_challenge_native(MessageContext ctx, String realm, int flags) {
        String m = ctx.msg().method();
        if ("ACK".equals(m) || "CANCEL".equals(m)) return 1;
        if (realm.isEmpty()) return challengeParamError(ctx, flags);
        return auth_challenge(ctx, realm, flags);
    }

    @Export(routes = RouteType.REQUEST, returns = {1, -1})
    public int has_credentials(MessageContext ctx, String realm) {
        AuthState st = AuthState.of(ctx);
        for (HeaderType t : new HeaderType[] {HeaderType.PROXY, HeaderType.WWW}) {
            for (Header h : HeaderEdits.named(ctx.msg(), headerName(t))) {
                DigestCredentials c = st.parse(h);
                if (c == DigestCredentials.MALFORMED) break;
                if (c != DigestCredentials.NOT_DIGEST && c.realm != null && c.realm.equalsIgnoreCase(realm)) return 1;
            }
        }
        return -1;
    }

    /**
     * pv_authenticate: checks the credentials against a password (flags 1: it is HA1 already);
     * on failure, flags 2/4/8 put a challenge into challenge_attr (4 qop=auth, 8 qop=auth-int).
     */
    int pvAuthenticate(MessageContext ctx, String realm, String passwd, int flags, HeaderType type, String method) {
        int ret;
        DigestCredentials cred = null;
        PreAuth pre = preAuth(ctx, realm, type);
        if (pre.result() != Result.DO_AUTHENTICATION) {
            ret = AuthCodes.of(pre.result());
        } else {
            cred = pre.credentials();
            String ha1 = (flags & 1) == 0 ? hash.ha1(cred.username, stripRealm(realm), passwd) : passwd;
            Result r = checkResponse(ctx, cred, method, ha1);
            if (r == Result.AUTHENTICATED) ret = postAuth(ctx, cred, ha1) == Result.AUTHENTICATED ? AuthCodes.OK : AuthCodes.ERROR;
            else ret = r == Result.NOT_AUTHENTICATED ? AuthCodes.INVALID_PASSWORD : AuthCodes.ERROR;
        }
        if (ret < 0 && (flags & 14) != 0) {
            DigestCredentials.Qop qop = (flags & 8) != 0 ? DigestCredentials.Qop.AUTH_INT
                    : (flags & 4) != 0 ? DigestCredentials.Qop.AUTH : DigestCredentials.Qop.UNSPEC;
            // Kamailio passes the stale flag only of credentials that got as far as the response check
            AvpStore.of(ctx).add(challengeAvp, challengeHeader(ctx, false, realm, qop, type));
        }
        return ret;
    }

    private static boolean badPvArgs(String realm, String passwd) {
        if (realm.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "auth: invalid realm value - empty content");
            return true;
        }
        if (passwd.isEmpty()) {
            ScriptLog.log(ScriptLog.ERR, "auth: invalid password value - empty content");
            return true;
        }
        return false;
    }

    @Export(natives = {"pv_www_authenticate", "pv_www_authorize"}, nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -4, -5, -6})
    public int pv_www_authenticate(MessageContext ctx, String realm, String passwd, int flags) {
        if (badPvArgs(realm, passwd)) return AuthCodes.ERROR;
        return pvAuthenticate(ctx, realm, passwd, flags, HeaderType.WWW, ctx.msg().method());
    }

    @Export(value = "pv_www_authenticate_method", natives = "pv_www_authenticate", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -4, -5, -6})
    public int pv_www_authenticate_method(MessageContext ctx, String realm, String passwd, int flags, String method) {
        if (badPvArgs(realm, passwd)) return AuthCodes.ERROR;
        if (method.isEmpty()) return AuthCodes.ERROR;
        return pvAuthenticate(ctx, realm, passwd, flags, HeaderType.WWW, method);
    }

    @Export(natives = {"pv_proxy_authenticate", "pv_proxy_authorize"}, nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -4, -5, -6})
    public int pv_proxy_authenticate(MessageContext ctx, String realm, String passwd, int flags) {
        if (badPvArgs(realm, passwd)) return AuthCodes.ERROR;
        return pvAuthenticate(ctx, realm, passwd, flags, HeaderType.PROXY, ctx.msg().method());
    }

    /** KEMI pv_auth_check: Kamailio's KEMI entry skips the native wrapper's ACK/CANCEL and empty-value checks. */
    @Export(kemiOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -4, -5, -6, -8})
    public int pv_auth_check(MessageContext ctx, String realm, String passwd, int flags, int checks) {
        boolean register = "REGISTER".equals(ctx.msg().method());
        int ret = pvAuthenticate(ctx, realm, passwd, flags, register ? HeaderType.WWW : HeaderType.PROXY, ctx.msg().method());
        if (ret != AuthCodes.OK || (checks & AuthCodes.CHECK_ID) == 0) return ret;
        AuthState st = AuthState.peek(ctx);
        if (st == null || st.authorized == null) return unauthenticatedMethod(ctx.msg()) ? AuthCodes.OK : AuthCodes.ERROR;
        return checkIdentity(ctx, st.authorizedCredentials.user, 0, useDomain);
    }

    @Export(value = "pv_auth_check_native", natives = "pv_auth_check", nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2, -4, -5, -6, -8})
    public int pv_auth_check_native(MessageContext ctx, String realm, String passwd, int flags, int checks) {
        String m = ctx.msg().method();
        if ("ACK".equals(m) || "CANCEL".equals(m)) return AuthCodes.OK;
        if (badPvArgs(realm, passwd)) return AuthCodes.ERROR;
        return pv_auth_check(ctx, realm, passwd, flags, checks);
    }

    /**
     * The auth user against From (To for REGISTER/PUBLISH), From against To, and for PUBLISH
     * From against the R-URI; hosts too with use_domain. AUTH_CHECK_SKIPFWD_F (in checks) skips
     * the first for INVITE, BYE, PRACK, UPDATE, MESSAGE (auth_db only).
     */
    public static int checkIdentity(MessageContext ctx, String authUser, int checks, boolean useDomain) {
        SipMessage m = ctx.msg();
        String method = m.method();
        boolean regOrPub = "REGISTER".equals(method) || "PUBLISH".equals(method);
        SipUri from, to = null;
        try {
            from = uri(m.from());
            if (regOrPub) to = uri(m.to());
        } catch (SipParseException e) {
            return AuthCodes.ERROR;
        }
        if (from == null || (regOrPub && to == null)) return AuthCodes.ERROR;
        SipUri u = regOrPub ? to : from;
        boolean skip = (checks & AuthCodes.CHECK_SKIP_FWD) != 0 && Set.of("INVITE", "BYE", "PRACK", "UPDATE", "MESSAGE").contains(method);
        if (!skip && !str(authUser).equals(str(u.user()))) return AuthCodes.USER_MISMATCH;
        if (regOrPub) {
            if (!str(from.user()).equals(str(to.user()))) return AuthCodes.USER_MISMATCH;
            if (useDomain && !str(from.host()).equals(str(to.host()))) return AuthCodes.USER_MISMATCH;
            if ("PUBLISH".equals(method)) {
                SipUri r;
                try {
                    r = m.parsedRequestUri();
                } catch (SipParseException e) {
                    return AuthCodes.ERROR;
                }
                if (!str(from.user()).equals(str(r.user()))) return AuthCodes.USER_MISMATCH;
                if (useDomain && !str(from.host()).equals(str(r.host()))) return AuthCodes.USER_MISMATCH;
            }
        }
        return AuthCodes.OK;
    }

    private static SipUri uri(NameAddr a) throws SipParseException {
        return a == null ? null : SipUri.parse(a.uri());
    }

    /** The WWW-Authenticate header (without a message: no extra checks) into a PV, no reply sent. */
    @Export(nativeOnly = true, routes = RouteType.REQUEST, returns = {1, -1, -2})
    public int auth_get_www_authenticate(MessageContext ctx, String realm, int flags, @PvName String dst) {
        if (realm.isEmpty()) return -1;
        Pv pv;
        try {
            pv = PvModule.providerOf(ctx.services()).resolve(PvSpec.parse(dst));
        } catch (IllegalArgumentException e) {
            ScriptLog.log(ScriptLog.ERR, "auth: bad result pvar " + dst + ": " + e.getMessage());
            return -1;
        }
        if (!pv.writable()) {
            ScriptLog.log(ScriptLog.ERR, "auth: result pvar is not writeble");
            return -1;
        }
        pv.set(ctx, challengeHeader(null, (flags & 16) != 0, realm, challengeQop(flags), HeaderType.WWW));
        return 1;
    }

    // ---- pseudo-variables ($au ... of Kamailio's pv module, read from the credentials)
    private static final Set<String> PVS = Set.of("au", "ad", "ar", "aU", "adu", "aa", "adn", "adc", "adr", "ado", "Au", "AU");

    @Override
    public Set<String> pvNames() {
        return PVS;
    }

    @Override
    public Pv resolvePv(PvSpec spec) {
        String n = spec.name();
        return switch (n) {
            case "Au" -> ctx -> accUsername((MessageContext) ctx, true);
            case "AU" -> ctx -> accUsername((MessageContext) ctx, false);
            default -> ctx -> credentialField((MessageContext) ctx, n);
        };
    }

    /** First Proxy-Authorization, else first Authorization; null for ACK/CANCEL or none. */
    private static Object credentialField(MessageContext ctx, String pv) {
        SipMessage m = ctx.msg();
        if (!m.isRequest() || "ACK".equals(m.method()) || "CANCEL".equals(m.method())) return null;
        List<Header> hs = HeaderEdits.named(m, "Proxy-Authorization");
        if (hs.isEmpty()) hs = HeaderEdits.named(m, "Authorization");
        if (hs.isEmpty()) return null;
        DigestCredentials c = AuthState.of(ctx).parse(hs.getFirst());
        if (c == DigestCredentials.MALFORMED || c == DigestCredentials.NOT_DIGEST) return null;
        return switch (pv) {
            case "au" -> str(c.user);
            case "ad" -> str(c.domain);
            case "ar" -> str(c.realm);
            case "adu" -> c.uri == null || c.uri.isEmpty() ? null : c.uri;
            case "aa" -> str(c.algorithm);
            case "adn" -> str(c.nonce);
            case "adc" -> str(c.cnonce);
            case "adr" -> str(c.response);
            case "ado" -> str(c.opaque);
            default -> str(c.username);
        };
    }

    /** $Au user@realm / $AU user of the authorized credentials, else of the From URI. */
    private static Object accUsername(MessageContext ctx, boolean withRealm) {
        AuthState st = AuthState.peek(ctx);
        DigestCredentials c = st == null ? null : st.authorizedCredentials;
        if (c != null && c.user != null && !c.user.isEmpty()) {
            String realm = c.accountingRealm();
            return withRealm && realm != null && !realm.isEmpty() ? c.user + "@" + realm : c.user;
        }
        try {
            NameAddr f = ctx.msg().from();
            if (f == null || f.uri().isEmpty()) return withRealm ? "" : null;
            SipUri u = SipUri.parse(f.uri());
            return withRealm ? str(u.user()) + "@" + str(u.host()) : str(u.user());
        } catch (SipParseException e) {
            return null;
        }
    }
}
