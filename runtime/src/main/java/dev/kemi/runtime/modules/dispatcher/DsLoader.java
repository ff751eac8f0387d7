package dev.kemi.runtime.modules.dispatcher;

import dev.kemi.runtime.db.Database;
import dev.kemi.runtime.db.DbResult;
import dev.kemi.runtime.db.DbRow;
import dev.kemi.runtime.modules.ScriptLog;
import dev.kemi.runtime.sip.SipParseException;
import dev.kemi.runtime.sip.SipUri;
import dev.kemi.runtime.transport.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

/** Reads destination sets from a list file or the dispatcher table (ds_load_list / ds_load_db). */
final class DsLoader {
    /** Thrown when nothing can be loaded; the message is Kamailio's. */
    static final class LoadException extends Exception {
        LoadException(String message) {
            super(message);
        }
    }

    private final RandomGenerator rnd;
    /** ds_load_mode=1: one bad destination fails the whole load. */
    private final boolean strict;
    /** ds_attrs_none: a destination without attrs gets "none=yes". */
    private final boolean attrsNone;

    DsLoader(RandomGenerator rnd, boolean strict, boolean attrsNone) {
        this.rnd = rnd;
        this.strict = strict;
        this.attrsNone = attrsNone;
    }

    /** The file's format: "setid destination [flags [priority [attrs]]]", '#' comments. */
    DsList fromFile(String file) throws LoadException {
        if (file == null || file.isEmpty()) throw new LoadException("bad list file");
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new LoadException("can't open list file [" + file + "]");
        }
        DsList list = new DsList();
        for (String line : lines) {
            Line l = new Line(line);
            l.spaces();
            if (l.end()) continue;
            int id = l.number();
            l.spaces();
            if (l.end()) throw new LoadException("bad line [" + line + "]");
            String uri = l.token(true);
            l.spaces();
            int flags = 0, priority = 0;
            String attrs = null;
            if (!l.end()) {
                flags = l.number();
                l.spaces();
                if (!l.end()) {
                    priority = l.number();
                    l.spaces();
                    if (!l.end()) attrs = l.token(false);
                }
            }
            add(list, id, uri, flags, priority, attrs);
        }
        return list.build(rnd);
    }

    /** The table with Kamailio's columns; which exist depends on the table version (1..4). */
    DsList fromDb(Database db, String table, int version, String[] cols) throws LoadException {
        int n = switch (version) {
            case 1 -> 2;
            case 2 -> 3;
            case 3 -> 4;
            default -> 5;
        };
        DbResult r = db.query(table, List.of(), List.of(cols).subList(0, n), null);
        if (r.rows().isEmpty()) ScriptLog.log(ScriptLog.WARN, "dispatcher: no dispatching data in the db -- empty destination set");
        DsList list = new DsList();
        for (DbRow row : r.rows()) {
            int flags = n >= 3 && !row.isNull(cols[2]) ? row.getInt(cols[2]) : 0;
            int priority = n >= 4 && !row.isNull(cols[3]) ? row.getInt(cols[3]) : 0;
            String attrs = n >= 5 && !row.isNull(cols[4]) ? row.getString(cols[4]) : null;
            add(list, row.isNull(cols[0]) ? 0 : row.getInt(cols[0]), row.getString(cols[1]), flags, priority, attrs);
        }
        return list.build(rnd);
    }

    private void add(DsList list, int id, String uri, int flags, int priority, String attrs) throws LoadException {
        DsDest d = pack(uri, flags, priority, attrs);
        if (d != null) {
            list.add(id, d);
            return;
        }
        ScriptLog.log(ScriptLog.WARN, "dispatcher: unable to add destination " + uri + " to set " + id + " -- skipping");
        if (strict) throw new LoadException("unable to add destination " + uri + " to set " + id);
    }

    /** pack_dest: parses the URI (adding a missing "sip:"), resolves its host unless flag 16; null when unusable. */
    DsDest pack(String text, int flags, int priority, String attrs) {
        if (text == null) return null;
        if ((attrs == null || attrs.isEmpty()) && attrsNone) attrs = "none=yes";
        String uri = text;
        SipUri u = parse(uri);
        if (u == null && text.length() > 4 && !text.startsWith("sip:") && text.length() < 500) {
            uri = "sip:" + text;
            u = parse(uri);
            if (u != null) ScriptLog.log(ScriptLog.INFO, "dispatcher: uri without sip scheme - fixing it: " + text);
        }
        if (u == null || u.host() == null) {
            ScriptLog.log(ScriptLog.ERR, "dispatcher: bad uri [" + text + "]");
            return null;
        }
        Protocol proto = null;
        String t = u.transport();
        if (t != null) {
            try {
                proto = Protocol.parse(t);
            } catch (IllegalArgumentException e) {
                proto = null;
            }
        }
        InetAddress ip = null;
        if ((flags & Ds.NODNSARES) == 0) {
            String h = u.host().startsWith("[") ? u.host().substring(1, u.host().length() - 1) : u.host();
            try {
                ip = InetAddress.getByName(h);
            } catch (UnknownHostException e) {
                ScriptLog.log(ScriptLog.ERR, "dispatcher: could not resolve " + u.host() + " (missing no-probing flag?!?)");
                return null;
            }
        }
        return new DsDest(uri, u.host(), Math.max(u.port(), 0), proto, ip, flags, priority, DsAttrs.parse(attrs));
    }

    private static SipUri parse(String uri) {
        try {
            return SipUri.parse(uri);
        } catch (SipParseException | RuntimeException e) {
            return null;
        }
    }

    /** A cursor over one list-file line, splitting it as ds_load_list does. */
    private static final class Line {
        private final String s;
        private int i;

        Line(String s) {
            this.s = s;
        }

        void spaces() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
        }

        boolean end() {
            return i >= s.length() || s.charAt(i) == '#';
        }

        int number() {
            int n = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i))) n = n * 10 + (s.charAt(i++) - '0');
            return n;
        }

        /** Up to white space (and '#' for the URI). */
        String token(boolean hashEnds) {
            int start = i;
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) < 0 && !(hashEnds && s.charAt(i) == '#')) i++;
            return s.substring(start, i);
        }
    }
}
