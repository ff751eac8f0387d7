package dev.kemi.runtime.modules.usrloc;

/**
 * One binding of an AoR (Kamailio's ucontact_t). Changed only under its record's lock, through
 * {@link URecord}; the getters are what lookup, the reply and ul.dump read.
 */
public final class UContact {
    public static final int Q_UNSPECIFIED = -1;
    public static final int ALL_METHODS = 0xFFFFFFFF;
    /** expires of a contact deleted in write-back mode, waiting for the timer to drop its row. */
    public static final long EXPIRED_TIME = 10;
    /** Internal flag: kept in memory only (save() flag 0x01), never written to the database. */
    public static final int FL_MEM = 1;

    /** Database synchronisation state (write-back and write-through). */
    public enum State { NEW, SYNC, DIRTY }

    private final String aor;
    String contact;
    long expires;
    int q;
    String callId;
    int cseq;
    int flags;
    int cflags;
    String userAgent;
    String received;
    String path;
    String socket;
    int methods;
    String instance;
    int regId;
    int serverId;
    int tcpconnId;
    int keepalive;
    long lastModified;
    String ruid;
    State state = State.NEW;

    /** new_ucontact: {@code natFlag} is usrloc's nat_bflag mask; a contact with it set is kept alive (the keepalive column). */
    UContact(String aor, String contact, ContactInfo ci, int natFlag) {
        this.aor = aor;
        this.contact = contact;
        this.instance = empty(ci.instance);
        this.regId = ci.regId;
        this.ruid = empty(ci.ruid);
        this.keepalive = (ci.cflags & natFlag) != 0 ? 1 : 0;
        apply(ci);
    }

    /** mem_update_ucontact: everything but the AoR, ruid and (without an instance) the URI. */
    void apply(ContactInfo ci) {
        if (ci.instance != null && !ci.instance.isEmpty() && ci.uri != null && !ci.uri.isEmpty()) contact = ci.uri;
        if (ci.callId != null && !ci.callId.isEmpty()) callId = ci.callId;
        else if (callId == null) callId = "";
        userAgent = ci.userAgent == null ? "" : ci.userAgent;
        received = empty(ci.received);
        path = empty(ci.path);
        socket = empty(ci.socket);
        expires = ci.expires;
        q = ci.q;
        cseq = ci.cseq;
        methods = ci.methods;
        lastModified = ci.lastModified;
        flags = ci.flags;
        cflags = ci.cflags;
        serverId = ci.serverId;
        tcpconnId = ci.tcpconnId;
    }

    private static String empty(String s) {
        return s == null ? "" : s;
    }

    /** VALID_CONTACT: not expired at {@code now}, or permanent. */
    public boolean valid(long now) {
        return expires > now || expires == 0;
    }

    public String aor() { return aor; }
    public String contact() { return contact; }
    public long expires() { return expires; }
    public int q() { return q; }
    public String callId() { return callId; }
    public int cseq() { return cseq; }
    public int flags() { return flags; }
    public int cflags() { return cflags; }
    public String userAgent() { return userAgent; }
    /** "" when none, as the other optional strings. */
    public String received() { return received; }
    public String path() { return path; }
    public String socket() { return socket; }
    public int methods() { return methods; }
    public String instance() { return instance; }
    public int regId() { return regId; }
    public int serverId() { return serverId; }
    public int tcpconnId() { return tcpconnId; }
    public int keepalive() { return keepalive; }
    public long lastModified() { return lastModified; }
    public String ruid() { return ruid; }
    public State state() { return state; }
}
