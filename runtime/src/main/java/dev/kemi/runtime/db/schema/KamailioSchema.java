package dev.kemi.runtime.db.schema;

import dev.kemi.runtime.db.schema.Column.Kind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tables of Kamailio 5.6.3 that our modules use, with their versions, described here once
 * for all three engines (column types, defaults, indexes as Kamailio's schema defines them).
 * {@link Ddl} turns them into CREATE statements per engine.
 */
public final class KamailioSchema {
    private KamailioSchema() {}

    /** Tables in creation order (version first), grouped as kamdbctl groups them by module. */
    public static final List<Table> TABLES = List.of(
            table("version", 1,
                    List.of(id(), str("table_name", 32), uint("table_version", "0")),
                    unique("table_name_idx", "table_name")),
            table("subscriber", 7,
                    List.of(id(), str("username", 64, ""), str("domain", 64, ""), str("password", 64, ""),
                            str("ha1", 128, ""), str("ha1b", 128, "")),
                    unique("account_idx", "username", "domain"), index("username_idx", "username")),
            table("location", 9, contactColumns(512, 128),
                    unique("ruid_idx", "ruid"), index("account_contact_idx", "username", "domain", "contact"),
                    index("expires_idx", "expires"), index("tcpcon_idx", "connection_id"),
                    index("connection_idx", "server_id", "connection_id")),
            table("location_attrs", 1,
                    List.of(id(), str("ruid", 64, ""), str("username", 64, ""), strNull("domain", 64),
                            str("aname", 64, ""), integer("atype", "0"), str("avalue", 512, ""),
                            datetime("last_modified", "2000-01-01 00:00:01")),
                    index("account_record_idx", "username", "domain", "ruid"), index("last_modified_idx", "last_modified")),
            table("aliases", 8, contactColumns(255, 255),
                    unique("ruid_idx", "ruid"), index("account_contact_idx", "username", "domain", "contact"),
                    index("expires_idx", "expires")),
            table("acc", 5, accColumns(), index("callid_idx", "callid")),
            table("acc_cdrs", 2,
                    List.of(id(), datetime("start_time", "2000-01-01 00:00:00"), datetime("end_time", "2000-01-01 00:00:00"),
                            real("duration", "10,3", "0")),
                    index("start_time_idx", "start_time")),
            table("missed_calls", 4, accColumns(), index("callid_idx", "callid")),
            table("trusted", 6,
                    List.of(id(), str("src_ip", 50), str("proto", 4), strNull("from_pattern", 64),
                            strNull("ruri_pattern", 64), strOpt("tag", 64),
                            integer("priority", "0")),
                    index("peer_idx", "src_ip")),
            table("address", 6,
                    List.of(id(), new Column("grp", Kind.UINT, "11", false, "1", false), str("ip_addr", 50),
                            integer("mask", "32"), new Column("port", Kind.USMALLINT, "5", false, "0", false),
                            strOpt("tag", 64))),
            table("htable", 2,
                    List.of(id(), str("key_name", 64, ""), integer("key_type", "0"), integer("value_type", "0"),
                            str("key_value", 128, ""), integer("expires", "0"))),
            table("dispatcher", 4,
                    List.of(id(), integer("setid", "0"), str("destination", 192, ""), integer("flags", "0"),
                            integer("priority", "0"), str("attrs", 128, ""), str("description", 64, ""))),
            table("dialog", 7,
                    List.of(id(), uint("hash_entry", null), uint("hash_id", null), str("callid", 255),
                            str("from_uri", 255), str("from_tag", 128), str("to_uri", 255), str("to_tag", 128),
                            str("caller_cseq", 20), str("callee_cseq", 20), strOpt("caller_route_set", 512),
                            strOpt("callee_route_set", 512), str("caller_contact", 255), str("callee_contact", 255),
                            str("caller_sock", 64), str("callee_sock", 64), uint("state", null), uint("start_time", null),
                            uint("timeout", "0"), uint("sflags", "0"), uint("iflags", "0"), strOpt("toroute_name", 32),
                            str("req_uri", 255), strOpt("xdata", 512)),
                    index("hash_idx", "hash_entry", "hash_id")),
            table("dialog_vars", 1,
                    List.of(id(), uint("hash_entry", null), uint("hash_id", null), str("dialog_key", 128),
                            str("dialog_value", 512)),
                    index("hash_idx", "hash_entry", "hash_id")),
            table("domain", 2,
                    List.of(id(), str("domain", 64), strNull("did", 64), datetime("last_modified", "2000-01-01 00:00:01")),
                    unique("domain_idx", "domain")),
            table("domain_attrs", 1,
                    List.of(id(), str("did", 64), str("name", 32), uint("type", null), str("value", 255),
                            datetime("last_modified", "2000-01-01 00:00:01")),
                    index("domain_attrs_idx", "did", "name")),
            table("uacreg", 5,
                    List.of(id(), str("l_uuid", 64, ""), str("l_username", 64, ""), str("l_domain", 64, ""),
                            str("r_username", 64, ""), str("r_domain", 64, ""), str("realm", 64, ""),
                            str("auth_username", 64, ""), str("auth_password", 64, ""), str("auth_ha1", 128, ""),
                            str("auth_proxy", 255, ""), integer("expires", "0"), integer("flags", "0"),
                            integer("reg_delay", "0"), str("contact_addr", 255, ""), str("socket", 128, "")),
                    unique("l_uuid_idx", "l_uuid")));

    private static final Map<String, Table> BY_NAME = TABLES.stream().collect(Collectors.toMap(Table::name, Function.identity()));

    /** The table of that name, or null. */
    public static Table table(String name) {
        return BY_NAME.get(name);
    }

    /** The version Kamailio 5.6.3's modules expect for a table (location 9, subscriber 7 ...). */
    public static int version(String table) {
        Table t = BY_NAME.get(table);
        if (t == null) throw new IllegalArgumentException("unknown Kamailio table " + table);
        return t.version();
    }

    /** location and aliases share their layout (usrloc's and registrar's contact records). */
    private static List<Column> contactColumns(int contactLen, int receivedLen) {
        return List.of(id(), str("ruid", 64, ""), str("username", 64, ""), strNull("domain", 64),
                str("contact", contactLen, ""), strNull("received", receivedLen), strNull("path", 512),
                datetime("expires", "2030-05-28 21:32:15"), real("q", "10,2", "1.0"),
                str("callid", 255, "Default-Call-ID"), integer("cseq", "1"),
                datetime("last_modified", "2000-01-01 00:00:01"), integer("flags", "0"), integer("cflags", "0"),
                str("user_agent", 255, ""), strNull("socket", 64), new Column("methods", Kind.INT, "11", true, null, true),
                strNull("instance", 255), integer("reg_id", "0"), integer("server_id", "0"),
                integer("connection_id", "0"), integer("keepalive", "0"), integer("partition", "0"));
    }

    private static List<Column> accColumns() {
        return List.of(id(), str("method", 16, ""), str("from_tag", 128, ""), str("to_tag", 128, ""),
                str("callid", 255, ""), str("sip_code", 3, ""), str("sip_reason", 128, ""),
                new Column("time", Kind.DATETIME, null, false, null, false));
    }

    private static Table table(String name, int version, List<Column> cols, Table.Index... idx) {
        return new Table(name, version, cols, List.of(idx));
    }

    private static Column id() {
        return new Column("id", Kind.ID, "10", false, null, false);
    }

    private static Column str(String name, int len) {
        return new Column(name, Kind.STRING, Integer.toString(len), false, null, false);
    }

    private static Column str(String name, int len, String dflt) {
        return new Column(name, Kind.STRING, Integer.toString(len), false, dflt, false);
    }

    private static Column strNull(String name, int len) {
        return new Column(name, Kind.STRING, Integer.toString(len), true, null, true);
    }

    private static Column strOpt(String name, int len) {
        return new Column(name, Kind.STRING, Integer.toString(len), true, null, false);
    }

    private static Column integer(String name, String dflt) {
        return new Column(name, Kind.INT, "11", false, dflt, false);
    }

    private static Column uint(String name, String dflt) {
        return new Column(name, Kind.UINT, "10", false, dflt, false);
    }

    private static Column datetime(String name, String dflt) {
        return new Column(name, Kind.DATETIME, null, false, dflt, false);
    }

    private static Column real(String name, String precision, String dflt) {
        return new Column(name, Kind.FLOAT, precision, false, dflt, false);
    }

    private static Table.Index unique(String name, String... cols) {
        return new Table.Index(name, true, List.of(cols));
    }

    private static Table.Index index(String name, String... cols) {
        return new Table.Index(name, false, List.of(cols));
    }
}
