package dev.kemi.runtime.db;

/**
 * A database operation failed (bad URL, server down, SQL error, table version mismatch). Every
 * {@link Database} call may throw it; a module turns it into its failure return code (Kamailio's
 * -1) and the proxy carries on. Messages never contain a password.
 */
public class DbException extends RuntimeException {
    public DbException(String message) {
        super(message);
    }

    public DbException(String message, Throwable cause) {
        super(message, cause);
    }
}
