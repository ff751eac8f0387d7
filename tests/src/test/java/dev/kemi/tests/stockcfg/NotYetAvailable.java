package dev.kemi.tests.stockcfg;

import java.util.List;

/**
 * What Debian's stock kamailio.cfg can ask for that we do not have yet: the one place to shrink
 * as modules arrive ({@link StockConfigDefinesTest} fails when an entry here has become loadable).
 */
final class NotYetAvailable {
    /** Modules loadmodule cannot load yet. */
    static final List<String> MODULES = List.of(
            "alias_db", "speeddial", "domain", "presence", "presence_xml");

    /** "module:param" pairs refused at startup (the module exists, that part of it does not). */
    static final List<String> PARAMS = List.of();

    private NotYetAvailable() {}
}
