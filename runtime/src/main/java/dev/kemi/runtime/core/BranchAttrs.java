package dev.kemi.runtime.core;

/**
 * What a destination-set branch carries besides its URI (Kamailio's branch_t): set by lookup()
 * for each extra contact, read by tm when it forks.
 *
 * @param dstUri next hop ($du of the branch), null for the URI itself
 * @param path   Path vector sent as Route headers, null if none
 * @param q      q-value in thousandths, -1 unspecified
 * @param flags  branch flags
 * @param socket forced send socket ("udp:ip:port"), null if none
 * @param instance +sip.instance of the contact, null if none (t_next_contact_flow)
 * @param ruid     usrloc record id of the contact, null if none
 * @param ua       User-Agent of the contact, null if none
 */
public record BranchAttrs(String dstUri, String path, int q, int flags, String socket, String instance, String ruid,
                          String ua) {
    public BranchAttrs(String dstUri, String path, int q, int flags, String socket) {
        this(dstUri, path, q, flags, socket, null, null, null);
    }
}
