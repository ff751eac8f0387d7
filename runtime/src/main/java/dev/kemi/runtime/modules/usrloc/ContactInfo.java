package dev.kemi.runtime.modules.usrloc;

/**
 * What a binding is saved with (Kamailio's ucontact_info_t): filled by the registrar from a
 * REGISTER, by ul.add, or from a location row.
 */
public final class ContactInfo {
    /** The contact URI; an update with an instance takes it over (the phone's address changed). */
    public String uri;
    /** Absolute expiry, Unix seconds; 0 = permanent. */
    public long expires;
    /** q in thousandths (0..1000), {@link UContact#Q_UNSPECIFIED} if none. */
    public int q = UContact.Q_UNSPECIFIED;
    public String callId = "";
    public int cseq;
    /** Internal flags (FL_MEM ...). */
    public int flags;
    /** Branch flags of the REGISTER (nat_bflag ...). */
    public int cflags;
    public String userAgent = "";
    public String received;
    public String path;
    /** "proto:host:port" of the socket the REGISTER came in on, or null. */
    public String socket;
    public int methods = UContact.ALL_METHODS;
    public String instance;
    public int regId;
    public int serverId;
    public int tcpconnId = -1;
    public long lastModified;
    public String ruid;
}
