package dev.kemi.runtime.db;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A typed value (srdb1's db_val_t). {@code value} is Integer, Long, Double, String, Instant
 * (DATETIME, second precision as Kamailio's time_t) or byte[]; null for SQL NULL. The
 * {@code as...} readers convert leniently, as modules reading Kamailio rows need (an INT column
 * read as a string, a DATETIME stored as text ...).
 */
public record DbValue(DbType type, Object value) {

    public static DbValue of(int v) {
        return new DbValue(DbType.INT, v);
    }

    public static DbValue of(long v) {
        return new DbValue(DbType.BIGINT, v);
    }

    public static DbValue of(double v) {
        return new DbValue(DbType.DOUBLE, v);
    }

    /** A string; null gives a STRING NULL. */
    public static DbValue of(String v) {
        return new DbValue(DbType.STRING, v);
    }

    /** A DATETIME (truncated to seconds); null gives a DATETIME NULL. */
    public static DbValue of(Instant v) {
        return new DbValue(DbType.DATETIME, v == null ? null : Instant.ofEpochSecond(v.getEpochSecond()));
    }

    /** A DATETIME from Unix seconds (Kamailio's time_t). */
    public static DbValue datetime(long epochSeconds) {
        return new DbValue(DbType.DATETIME, Instant.ofEpochSecond(epochSeconds));
    }

    public static DbValue of(byte[] v) {
        return new DbValue(DbType.BLOB, v);
    }

    public static DbValue nullOf(DbType type) {
        return new DbValue(type, null);
    }

    public boolean isNull() {
        return value == null;
    }

    /** 0 for NULL; numbers truncated; numeric strings parsed; DATETIME as Unix seconds. */
    public long asLong() {
        return switch (value) {
            case null -> 0;
            case Number n -> n.longValue();
            case Instant i -> i.getEpochSecond();
            case String s -> parseLong(s);
            case byte[] b -> parseLong(new String(b, StandardCharsets.UTF_8));
            default -> 0;
        };
    }

    public int asInt() {
        return (int) asLong();
    }

    public double asDouble() {
        return switch (value) {
            case null -> 0;
            case Number n -> n.doubleValue();
            case Instant i -> i.getEpochSecond();
            case String s -> {
                try {
                    yield Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    yield 0;
                }
            }
            default -> 0;
        };
    }

    /** Null for NULL; DATETIME as {@code YYYY-MM-DD HH:MM:SS} in the JVM's time zone, as Kamailio prints it. */
    public String asString() {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case byte[] b -> new String(b, StandardCharsets.UTF_8);
            case Instant i -> DbTimes.format(i);
            case Double d when d == Math.rint(d) && !Double.isInfinite(d) -> Long.toString(d.longValue());
            default -> value.toString();
        };
    }

    /** Null for NULL; numbers are Unix seconds; strings {@code YYYY-MM-DD HH:MM:SS} (local time). */
    public Instant asInstant() {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case Number n -> Instant.ofEpochSecond(n.longValue());
            case String s -> DbTimes.parse(s);
            default -> null;
        };
    }

    public byte[] asBytes() {
        return switch (value) {
            case null -> null;
            case byte[] b -> b;
            default -> asString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static long parseLong(String s) {
        String t = s.trim();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return (long) Double.parseDouble(t);
            } catch (NumberFormatException e2) {
                return 0;
            }
        }
    }

    @Override
    public String toString() {
        return value == null ? "NULL" : asString();
    }
}
