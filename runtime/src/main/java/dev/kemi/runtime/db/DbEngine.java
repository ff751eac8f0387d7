package dev.kemi.runtime.db;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;

/** What differs between the three engines: JDBC URL, quoting, DATETIME storage, type mapping. */
public enum DbEngine {
    SQLITE("sqlite"), MYSQL("mysql"), POSTGRES("postgres");

    private final String scheme;

    DbEngine(String scheme) {
        this.scheme = scheme;
    }

    /** The Kamailio URL scheme (and, with "db_", the module name). */
    public String scheme() {
        return scheme;
    }

    /** The JDBC URL for a Kamailio URL; a relative SQLite path resolves against the working directory, as in Kamailio. */
    public String jdbcUrl(DbUrl u) {
        return switch (this) {
            case SQLITE -> "jdbc:sqlite:" + Path.of(u.database()).toAbsolutePath();
            case MYSQL -> "jdbc:mariadb://" + hostPort(u, 3306) + "/" + u.database();
            case POSTGRES -> "jdbc:postgresql://" + hostPort(u, 5432) + "/" + u.database();
        };
    }

    private static String hostPort(DbUrl u, int defaultPort) {
        String h = u.host().isEmpty() ? "localhost" : u.host();
        if (h.indexOf(':') >= 0) h = "[" + h + "]";
        return h + ":" + (u.port() == 0 ? defaultPort : u.port());
    }

    /** A table or column name, checked and quoted for this engine. */
    public String quote(String identifier) {
        if (identifier.isEmpty()) throw new DbException("empty SQL identifier");
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (!(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                throw new DbException("invalid SQL identifier '" + identifier + "'");
            }
        }
        return this == MYSQL ? "`" + identifier + "`" : "\"" + identifier + "\"";
    }

    void bind(PreparedStatement ps, int index, DbValue v) throws SQLException {
        if (v.isNull()) {
            ps.setNull(index, switch (v.type()) {
                case INT -> Types.INTEGER;
                case BIGINT -> Types.BIGINT;
                case DOUBLE -> Types.DOUBLE;
                case STRING -> Types.VARCHAR;
                case DATETIME -> this == SQLITE ? Types.DOUBLE : Types.TIMESTAMP;
                case BLOB -> Types.BLOB;
            });
            return;
        }
        switch (v.type()) {
            case INT -> ps.setInt(index, v.asInt());
            case BIGINT -> ps.setLong(index, v.asLong());
            case DOUBLE -> ps.setDouble(index, v.asDouble());
            case STRING -> ps.setString(index, v.asString());
            case BLOB -> ps.setBytes(index, v.asBytes());
            case DATETIME -> {
                Instant t = v.asInstant();
                if (this == SQLITE) ps.setDouble(index, DbTimes.toJulianDay(t));
                else ps.setTimestamp(index, Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneId.systemDefault())));
            }
        }
    }

    DbType columnType(ResultSetMetaData md, int col) throws SQLException {
        String name = md.getColumnTypeName(col);
        String decl = name == null ? "" : name.toUpperCase(Locale.ROOT);
        if (this == SQLITE) {
            // db_sqlite decides by the declared type, as SQLite stores any type in any column
            if (decl.contains("INT")) return decl.contains("BIGI") ? DbType.BIGINT : DbType.INT;
            if (decl.contains("TIME") || decl.contains("DATE")) return DbType.DATETIME;
            if (decl.contains("CHAR") || decl.contains("TEXT") || decl.contains("CLOB")) return DbType.STRING;
            if (decl.contains("REAL") || decl.contains("FLOA") || decl.contains("DOUB")) return DbType.DOUBLE;
            if (decl.contains("BLOB")) return DbType.BLOB;
        }
        // db_mysql maps INT UNSIGNED to DB1_INT (unsigned_type=0); Connector/J reports it as BIGINT
        if (this == MYSQL && decl.contains("INT") && !decl.contains("BIGINT")) return DbType.INT;
        return switch (md.getColumnType(col)) {
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.BIT, Types.BOOLEAN -> DbType.INT;
            case Types.BIGINT -> DbType.BIGINT;
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> DbType.DOUBLE;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE, Types.TIME -> DbType.DATETIME;
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> DbType.BLOB;
            default -> DbType.STRING;
        };
    }

    DbValue read(ResultSet rs, int col, DbType type) throws SQLException {
        Object o = rs.getObject(col);
        if (o == null) return DbValue.nullOf(type);
        return switch (type) {
            case INT -> new DbValue(type, o instanceof Number n ? n.intValue() : new DbValue(type, o.toString()).asInt());
            case BIGINT -> new DbValue(type, o instanceof Number n ? n.longValue() : new DbValue(type, o.toString()).asLong());
            case DOUBLE -> new DbValue(type, o instanceof Number n ? n.doubleValue() : new DbValue(type, o.toString()).asDouble());
            case STRING -> new DbValue(type, o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : rs.getString(col));
            case BLOB -> new DbValue(type, rs.getBytes(col));
            case DATETIME -> new DbValue(type, readTime(rs, col, o));
        };
    }

    private Instant readTime(ResultSet rs, int col, Object o) throws SQLException {
        if (this == SQLITE) {
            // Kamailio writes Julian days; rows typed in by hand often hold text or Unix seconds
            if (o instanceof Double d) return DbTimes.fromJulianDay(d);
            if (o instanceof Number n) return n.longValue() > 10_000_000 ? Instant.ofEpochSecond(n.longValue()) : DbTimes.fromJulianDay(n.doubleValue());
            return DbTimes.parseUtc(o.toString());
        }
        Timestamp ts = rs.getTimestamp(col);
        return ts == null ? null : ts.toLocalDateTime().atZone(ZoneId.systemDefault()).toInstant();
    }
}
