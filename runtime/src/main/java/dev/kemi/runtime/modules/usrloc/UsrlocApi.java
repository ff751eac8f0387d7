package dev.kemi.runtime.modules.usrloc;

/**
 * What usrloc offers other modules (Kamailio's usrloc_api_t, bound with bind_usrloc): the
 * registrar, nathelper's keepalive pinger. Bind it with
 * {@code services.api(UsrlocApi.class, "registrar", "usrloc")}.
 */
public interface UsrlocApi {
    /** register_udomain: the table, created (and in db_mode 1/2 loaded from the database) on first use. */
    UDomain registerDomain(String table) throws UsrlocException;

    /** get_udomain: a table that preload or the native script registered, or null. */
    UDomain findDomain(String table);

    /** Every table registered so far (nathelper's keepalives walk them all, as get_all_ucontacts). */
    java.util.Collection<UDomain> domains();

    /** use_domain: AoRs are user@domain, else just user. */
    boolean useDomain();

    /** The branch flag bit mask of nat_bflag (0 if unset). */
    int natFlag();

    DbMode dbMode();

    /** Seconds since the epoch, the clock expires are measured on. */
    long now();

    /** A new record unique id ("uloc-..."), as Kamailio's sruid makes them. */
    String newRuid();

    /** server_id global parameter (0 by default), stored with every contact. */
    int serverId();
}
