package dev.kemi.runtime.modules.usrloc;

/** A usrloc operation failed (the database, in db_mode 1 and 3): the registrar answers 500. */
public final class UsrlocException extends Exception {
    public UsrlocException(String message, Throwable cause) {
        super(message, cause);
    }
}
