package dev.kemi.runtime.core;

/**
 * A module that acts once request_route is done with a request, as Kamailio's tm does in its
 * post-script callback (delayed error reply after a failed relay, releasing transactions the
 * script created but neither replied to nor forwarded). Called even when the script failed. A
 * loaded module implementing this interface is registered automatically.
 */
public interface AfterRequestRoute {
    void afterRequestRoute(MessageContext request);
}
