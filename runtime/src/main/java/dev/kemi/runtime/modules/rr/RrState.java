package dev.kemi.runtime.modules.rr;

import dev.kemi.runtime.core.MessageContext;

/** rr's per-message state: what record_route asked for, and what loose_route found. */
final class RrState {
    /** record_route() was called (the "double attempt" guard). */
    boolean recorded;
    /** Record-Route wanted: built at send time, when the outgoing socket is known. */
    boolean pending;
    /** Parameters for our Record-Route(s) (";a=b"...), from record_route_params / add_rr_param. */
    String params = "";
    /** User part of our Record-Route: the outbound flow token, null if none. */
    String user;
    /** record_route_preset values (host[:port][;params]), inserted as given. */
    String preset;
    String preset2;
    /** record_route_advertised_address(): host[:port] of our Record-Route instead of the socket's. */
    String advertised;
    /** Parameters of our own Route URI that loose_route consumed (";..."), null if none. */
    String routedParams;
    /** loose_route took the next hop from a Route after ours (Kamailio's FL_ROUTE_ADDR). */
    boolean routeAddr;

    static RrState of(MessageContext ctx) {
        return ctx.attachment(RrState.class, RrState::new);
    }

    static RrState peek(MessageContext ctx) {
        return ctx.attachment(RrState.class);
    }
}
