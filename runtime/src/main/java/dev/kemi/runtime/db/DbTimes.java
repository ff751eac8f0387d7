package dev.kemi.runtime.db;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * DATETIME conversions. MySQL DATETIME and PostgreSQL timestamp hold local time, as Kamailio
 * writes them (localtime of the process); db_sqlite holds a Julian day number (REAL), with
 * Kamailio's own rounding, and we also read rows whose DATETIME is text.
 */
public final class DbTimes {
    private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final double UNIX_EPOCH_JD = 2440587.5;

    private DbTimes() {}

    public static String format(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneId.systemDefault()).format(SQL);
    }

    /** Local time {@code YYYY-MM-DD HH:MM:SS} (optionally with fractions or a 'T'); null if not a date. */
    public static Instant parse(String s) {
        String t = s.trim().replace('T', ' ');
        int dot = t.indexOf('.');
        if (dot > 0) t = t.substring(0, dot);
        try {
            return LocalDateTime.parse(t, SQL).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** db_sqlite's timet_to_sqlite, bit for bit. */
    public static double toJulianDay(Instant t) {
        return ((((double) t.getEpochSecond()) - 0.5) / 86400.0) + UNIX_EPOCH_JD;
    }

    /**
     * db_sqlite's sqlite_to_timet, but rounded: Kamailio truncates, so about half of the values
     * it wrote itself come back one second early.
     */
    public static Instant fromJulianDay(double jd) {
        return Instant.ofEpochSecond(Math.round(86400.0 * (jd - UNIX_EPOCH_JD) + 0.5));
    }

    /** SQLite TEXT dates (datetime('now') and the like) are UTC. */
    static Instant parseUtc(String s) {
        String t = s.trim().replace('T', ' ');
        int dot = t.indexOf('.');
        if (dot > 0) t = t.substring(0, dot);
        try {
            return LocalDateTime.parse(t, SQL).atZone(ZoneId.of("UTC")).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
