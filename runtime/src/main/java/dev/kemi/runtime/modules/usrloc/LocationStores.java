package dev.kemi.runtime.modules.usrloc;

import dev.kemi.runtime.core.ProxyServices;
import dev.kemi.runtime.db.Databases;

/** Opens the location table's database for db_mode 1, 2 and 3. */
final class LocationStores {
    private LocationStores() {}

    /** Binds db_url (a wrong URL or a server that is down fails startup, naming the URL). */
    static DbLocationStore open(ProxyServices services, String url, LocationColumns columns, boolean useDomain) {
        return new DbLocationStore(Databases.bind(services, "usrloc", url), columns, useDomain);
    }
}
