package dev.kemi.runtime.modules.usrloc;

import dev.kemi.runtime.core.ProxyServices;

/** Opens the location table's database for db_mode 1, 2 and 3. */
final class LocationStores {
    private LocationStores() {}

    static LocationStore open(ProxyServices services, String url, LocationColumns columns, boolean useDomain) {
        throw new IllegalStateException("usrloc: db_mode 1, 2 and 3 need the database layer (db_url " + url + ")");
    }
}
