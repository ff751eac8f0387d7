package dev.kemi.runtime.db;

import dev.kemi.runtime.core.ProxyServices;

/**
 * Binds a module to a database by its Kamailio {@code db_url} (srdb1's db_bind_mod + db_init):
 * the scheme picks the driver module ({@code mysql://} needs {@code loadmodule "db_mysql.so"}),
 * which must be loaded, and the first connection is made right away so a wrong URL or a server
 * that is down fails startup.
 */
public final class Databases {
    private Databases() {}

    /**
     * @param requester the binding module's name, for errors
     * @throws DbException "Module db_mysql not found. Missing loadmodule?" (Kamailio's text), or a
     *     connection error naming the URL without its password
     */
    public static Database bind(ProxyServices services, String requester, String dbUrl) {
        DbUrl url;
        try {
            url = DbUrl.parse(dbUrl);
        } catch (DbException e) {
            throw new DbException(requester + ": " + e.getMessage());
        }
        try {
            String versionTable = services.globalParam("version_table");
            return driver(services, url).open(url, versionTable == null || versionTable.isEmpty() ? "version" : versionTable);
        } catch (DbException e) {
            throw new DbException(requester + ": " + e.getMessage(), e);
        }
    }

    /** The loaded driver module for the URL's scheme. */
    public static DbDriver driver(ProxyServices services, DbUrl url) {
        for (Object m : services.functions().modules()) {
            if (m instanceof DbDriver d && d.engine().scheme().equals(url.scheme())) return d;
        }
        throw new DbException("Module " + url.moduleName() + " not found. Missing loadmodule?");
    }
}
