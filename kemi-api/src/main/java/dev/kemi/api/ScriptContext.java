package dev.kemi.api;

/**
 * What a script engine sees of the message being processed. The runtime's message context
 * implements it; exported functions receive that concrete type as their first argument.
 */
public interface ScriptContext {
    /** The {@link RouteType} currently executing. */
    int routeType();

    /** Marks the message dropped (native {@code drop}, KEMI {@code KSR.set_drop()}). */
    void setDrop();

    boolean isDropped();

    /**
     * Kamailio's check_self for {@code myself} comparisons: {@code value} is a SIP URI, host or
     * IP. With {@code nativeDefaultPort} a URI without port means 5060 (5061 for sips), as native
     * {@code uri==myself}; otherwise the port is a wildcard, as KEMI {@code is_myself*}.
     */
    boolean isMyself(String value, boolean nativeDefaultPort);
}
