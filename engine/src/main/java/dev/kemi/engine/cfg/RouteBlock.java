package dev.kemi.engine.cfg;

/**
 * A route block as found by the top-level parser: its kind, name and the token range of its
 * body (between the braces), compiled once every module is loaded.
 *
 * @param type  {@link dev.kemi.api.RouteType} of the block; sub-routes use REQUEST
 * @param name  block name: "" for the main/core blocks, the bracket text otherwise
 * @param sub   true for route[NAME] sub-routes
 */
record RouteBlock(int type, String name, boolean sub, Token header, int bodyStart, int bodyEnd) {
    String label() {
        if (type == dev.kemi.api.RouteType.BRANCH_FAILURE) return "event_route[tm:branch-failure:" + name + "]";
        String kind = sub ? "route" : dev.kemi.api.RouteType.name(type);
        return name.isEmpty() ? kind : kind + "[" + name + "]";
    }
}
