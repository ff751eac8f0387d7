package dev.kemi.runtime.core;

/**
 * A module that must see every request once request_route is over, as Kamailio's tm does with
 * its post-script callback (delayed error reply, release of unused transactions). A loaded
 * module implementing this interface is registered automatically.
 */
public interface RequestFinisher {
    void afterRequestRoute(MessageContext ctx);
}
