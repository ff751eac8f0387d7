package dev.kemi.engine.cfg;

import dev.kemi.api.RouteType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every route block of a cfg, indexed by type and name, before and after compilation. */
final class RouteSet {
    final Map<String, Route> subs = new HashMap<>();
    private final Map<Integer, Map<String, Route>> byType = new HashMap<>();

    RouteSet(List<RouteBlock> blocks) {
        for (RouteBlock b : blocks) {
            Route r = new Route(b);
            if (b.sub()) subs.put(b.name(), r);
            else byType.computeIfAbsent(b.type(), k -> new HashMap<>()).put(b.name(), r);
        }
    }

    /** The unnamed block of a type (request_route, reply_route, onsend_route), or null. */
    Route main(int type) {
        return named(type).get("");
    }

    Map<String, Route> named(int type) {
        return byType.getOrDefault(type, Map.of());
    }

    /** The block a t_on_* / route() name refers to, or null. */
    Route find(int type, String name) {
        return type == RouteType.REQUEST ? subs.get(name) : named(type).get(name);
    }

    /** The route compiled from a block. */
    Route of(RouteBlock b) {
        return b.sub() ? subs.get(b.name()) : named(b.type()).get(b.name());
    }
}
