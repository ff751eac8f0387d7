package dev.kemi.runtime.modules.auth;

import dev.kemi.runtime.core.MessageContext;
import dev.kemi.runtime.sip.NameAddr;
import dev.kemi.runtime.sip.SipParseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Nonces exactly as Kamailio 5.6.3's auth module makes and checks them (nonce.c): base64 of
 * expires(4) | since(4) | MD5(expires | since [| nid | pf] | secret1)
 * [| MD5(checked message parts | secret2)] [| nid(4) | pf(1)], integers big-endian. The second
 * MD5 is there when the auth_checks_* value for the request is not 0; nid and pf (pool number
 * plus the nonce-count / one-time flags) when nonce_count or one_time_nonce is on.
 */
final class Nonces {
    static final int CHECK_FULL_URI = 1, CHECK_CALLID = 2, CHECK_FROMTAG = 4, CHECK_SRC_IP = 8;
    static final int NF_VALID_NC = 128, NF_VALID_OT = 64, POOL_MASK = 63;
    /** check results, as check_nonce() returns them. */
    static final int OK = 0, INVALID = -1, TOO_SHORT = 1, NO_MATCH = 2, CHECKS_FAILED = 3, STALE = 4, BAD_NC = 5, REUSED = 6;
    private static final int MIN_BIN_LEN = 24, MIN_LEN = 32;

    private final byte[] secret1, secret2;
    private final int expire;
    private final int maxDrift;
    private final int checksRegister, checksNoDialog, checksInDialog;
    private final NonceIds ids;
    private final NonceCounts counts;
    private final OneTimeNonces oneTime;
    private volatile long upSince = System.currentTimeMillis() / 1000;

    Nonces(byte[] secret1, byte[] secret2, int expire, int maxDrift, int checksRegister, int checksNoDialog,
            int checksInDialog, NonceIds ids, NonceCounts counts, OneTimeNonces oneTime) {
        this.secret1 = secret1;
        this.secret2 = secret2;
        this.expire = expire;
        this.maxDrift = maxDrift;
        this.checksRegister = checksRegister;
        this.checksNoDialog = checksNoDialog;
        this.checksInDialog = checksInDialog;
        this.ids = ids;
        this.counts = counts;
        this.oneTime = oneTime;
    }

    /** get_auth_checks: the auth_checks_* value for this request (0 without a message). */
    int checksFor(MessageContext ctx) {
        if (ctx == null) return 0;
        if ("REGISTER".equals(ctx.msg().method())) return checksRegister;
        try {
            NameAddr to = ctx.msg().to();
            if (to != null && to.tag() != null && !to.tag().isEmpty()) return checksInDialog;
        } catch (SipParseException e) {
            // unreadable To: out of dialog, as Kamailio
        }
        return checksNoDialog;
    }

    /** A new nonce for this request (ctx null: no extra checks). */
    String make(MessageContext ctx) {
        int cfg = checksFor(ctx);
        long now = System.currentTimeMillis() / 1000;
        int nid = 0, pf = 0;
        if (counts != null || oneTime != null) {
            int pool = ids.poolOfThisThread();
            nid = ids.next(pool);
            pf = pool;
            if (counts != null) {
                counts.issue(nid, pool);
                pf |= NF_VALID_NC;
            }
            if (oneTime != null) {
                oneTime.issue(nid, pool);
                pf |= NF_VALID_OT;
            }
        }
        byte[] bin = new byte[45];
        ByteBuffer.wrap(bin).putInt((int) (now + expire)).putInt((int) now);
        boolean extra = cfg != 0 && ctx != null;
        int nidAt = extra ? 40 : 24;
        ByteBuffer.wrap(bin, nidAt, 5).putInt(nid).put((byte) pf);
        int len = fillMd5(bin, cfg, extra, ctx);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(bin, len));
    }

    /** Computes the MD5(s) into bin (which holds the times and nid/pf); returns the binary length. */
    private int fillMd5(byte[] bin, int cfg, boolean extra, MessageContext ctx) {
        int nidAt = extra ? 40 : 24;
        boolean hasNid = (bin[nidAt + 4] & (NF_VALID_NC | NF_VALID_OT)) != 0;
        MessageDigest md = md5();
        md.update(bin, 0, 8);
        if (hasNid) md.update(bin, nidAt, 5);
        md.update(secret1);
        System.arraycopy(md.digest(), 0, bin, 8, 16);
        int len = extra ? 40 : 24;
        if (extra) {
            md.reset();
            if ((cfg & CHECK_FULL_URI) != 0) md.update(bytes(ctx.msg().requestUri()));
            if ((cfg & CHECK_CALLID) != 0 && ctx.msg().callId() != null) md.update(bytes(ctx.msg().callId()));
            if ((cfg & CHECK_FROMTAG) != 0) {
                try {
                    NameAddr from = ctx.msg().from();
                    if (from != null && from.tag() != null) md.update(bytes(from.tag()));
                } catch (SipParseException e) {
                    // unreadable From: no tag in the hash, as Kamailio
                }
            }
            if ((cfg & CHECK_SRC_IP) != 0) md.update(ctx.received().source().getAddress().getAddress());
            md.update(secret2);
            System.arraycopy(md.digest(), 0, bin, 24, 16);
        }
        return hasNid ? len + 5 : len;
    }

    /** check_nonce(): 0 good, else one of the codes above. */
    int check(DigestCredentials cred, MessageContext ctx) {
        String nonce = cred.nonce;
        if (nonce == null) return INVALID;
        if (nonce.length() < MIN_LEN) return TOO_SHORT;
        int cfg = checksFor(ctx);
        boolean extra = cfg != 0;
        byte[] got;
        try {
            got = Base64.getDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return INVALID;
        }
        if (got.length < MIN_BIN_LEN || got.length > 48) return INVALID;
        byte[] bin = Arrays.copyOf(got, 48);
        ByteBuffer bb = ByteBuffer.wrap(bin);
        long expires = Integer.toUnsignedLong(bb.getInt(0));
        int since = bb.getInt(4);
        long now = System.currentTimeMillis() / 1000;
        if (since < upSince) {
            // made before this proxy started (another instance, other checks): stale
            if (now < upSince) upSince = now;
            if (since < now) return STALE;
        }
        if (since > now && since - now > maxDrift) return STALE; // from the future
        int nidAt = extra ? 40 : 24;
        int pf = bin[nidAt + 4] & 0xff;
        int nid = bb.getInt(nidAt);
        if (oneTime != null && (pf & NF_VALID_OT) == 0) return STALE;
        byte[] mine = bin.clone();
        int mineLen = fillMd5(mine, cfg, extra, ctx);
        if (!Arrays.equals(bin, 8, 24, mine, 8, 24)) return NO_MATCH;
        boolean ncChecked = false;
        if (counts != null && (pf & NF_VALID_NC) != 0 && cred.nc != null && !cred.nc.isEmpty()) {
            Long nc = hex8(cred.nc);
            if (nc == null) return BAD_NC;
            if (counts.check(nid, pf & POOL_MASK, nc) != NonceCounts.Check.OK) return STALE;
            ncChecked = true;
        }
        if (!ncChecked) {
            if (oneTime != null && (pf & NF_VALID_OT) != 0 && oneTime.check(nid, pf & POOL_MASK) != OneTimeNonces.Check.OK) {
                return REUSED;
            }
            if (extra) {
                if (got.length != mineLen) return NO_MATCH;
                if (!Arrays.equals(bin, 24, 40, mine, 24, 40)) return CHECKS_FAILED;
            }
        }
        return expires < now ? STALE : OK;
    }

    private static Long hex8(String s) {
        if (s.length() != 8) return null;
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return null;
            v = v * 16 + d;
        }
        return v;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
