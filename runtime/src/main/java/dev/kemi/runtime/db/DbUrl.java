package dev.kemi.runtime.db;

/**
 * A database URL as Kamailio's srdb1 parses it: {@code scheme://[user[:password]@]host[:port]/database}.
 * The database part is everything after the first '/' behind the host, up to a '?', so
 * {@code sqlite:////var/lib/k.db} names the absolute file {@code /var/lib/k.db} and
 * {@code sqlite:///k.db} the file {@code k.db} relative to the working directory, exactly as
 * Kamailio reads them. {@link #toString()} never shows the password.
 */
public record DbUrl(String scheme, String user, String password, String host, int port, String database) {

    /** @throws DbException "cannot parse URL ..." (without the password) for a malformed URL */
    public static DbUrl parse(String url) {
        if (url == null) throw new DbException("cannot parse URL 'null'");
        int colon = url.indexOf(':');
        if (colon <= 0 || !url.startsWith("//", colon + 1) || url.length() < "s://a/b".length()) {
            throw new DbException("cannot parse URL '" + redact(url) + "'");
        }
        String scheme = url.substring(0, colon);
        String rest = url.substring(colon + 3);
        String user = null, password = null;
        int slash = rest.indexOf('/');
        // user:pass@ ends at the last '@' before the database part, as Kamailio lets '@' be in a password
        int at = slash < 0 ? rest.lastIndexOf('@') : rest.lastIndexOf('@', slash);
        if (at >= 0) {
            String cred = rest.substring(0, at);
            int c = cred.indexOf(':');
            user = c < 0 ? cred : cred.substring(0, c);
            password = c < 0 ? null : cred.substring(c + 1);
            rest = rest.substring(at + 1);
            slash = rest.indexOf('/');
        }
        if (slash < 0) throw new DbException("cannot parse URL '" + redact(url) + "'");
        String hostPort = rest.substring(0, slash);
        String db = rest.substring(slash + 1);
        int q = db.indexOf('?');
        if (q >= 0) db = db.substring(0, q);
        String host = hostPort;
        int port = 0;
        int portColon = hostPort.startsWith("[") ? hostPort.indexOf(':', hostPort.indexOf(']')) : hostPort.lastIndexOf(':');
        if (portColon >= 0) {
            host = hostPort.substring(0, portColon);
            try {
                port = Integer.parseInt(hostPort.substring(portColon + 1));
            } catch (NumberFormatException e) {
                throw new DbException("cannot parse URL '" + redact(url) + "'");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new DbUrl(scheme, user, password, host, port, db);
    }

    /** The Kamailio module that serves this URL: "db_" + scheme, as srdb1's db_bind_mod derives it. */
    public String moduleName() {
        return "db_" + scheme;
    }

    /** The URL without the password (for errors and logs). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme).append("://");
        if (user != null) sb.append(user).append('@');
        if (host.indexOf(':') >= 0) sb.append('[').append(host).append(']');
        else sb.append(host);
        if (port != 0) sb.append(':').append(port);
        return sb.append('/').append(database).toString();
    }

    /** A raw URL string with any password removed, for errors about URLs that do not parse. */
    public static String redact(String url) {
        int schemeEnd = url.indexOf(':');
        int at = url.lastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd) return url;
        int credStart = schemeEnd + 1;
        while (credStart < at && url.charAt(credStart) == '/') credStart++;
        int c = url.indexOf(':', credStart);
        return c < 0 || c > at ? url : url.substring(0, c) + url.substring(at);
    }
}
