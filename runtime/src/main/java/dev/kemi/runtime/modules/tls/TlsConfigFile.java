package dev.kemi.runtime.modules.tls;

import dev.kemi.api.ScriptException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads tls.cfg as Kamailio 5.6's tls module does: {@code [type:address]} sections (type
 * server/srv/s or client/cli/c; address default/def/* , any/all, IPv4:port or [IPv6]:port), then
 * {@code name = value} lines with Kamailio's option names and aliases; '#' starts a comment.
 * An option we do not implement is an error naming its line, as is a duplicate section.
 */
final class TlsConfigFile {
    private static final Set<String> BOOLEAN_TRUE = Set.of("yes", "true", "on", "1", "enable", "enabled");
    private static final Set<String> BOOLEAN_FALSE = Set.of("no", "false", "off", "0", "disable", "disabled");
    /** Kamailio's option names and aliases -> our field. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("method", "method"), Map.entry("tls_method", "method"),
            Map.entry("verify_certificate", "verify"), Map.entry("verify_cert", "verify"),
            Map.entry("require_certificate", "require"), Map.entry("require_cert", "require"),
            Map.entry("private_key", "key"), Map.entry("pkey_file", "key"),
            Map.entry("certificate", "cert"), Map.entry("cert_file", "cert"),
            Map.entry("ca_list", "ca"), Map.entry("calist_file", "ca"),
            Map.entry("cipher_list", "ciphers"), Map.entry("server_name", "sni"));
    /** Options Kamailio has that we do not implement: refused, never ignored. */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("verify_depth", "crl", "server_name_mode", "server_id",
            "verify_client", "ca_path");

    private TlsConfigFile() {}

    /** The sections of a tls.cfg, each completed from {@code defaults} (the module parameters). */
    static List<TlsProfile> read(Path file, TlsProfile defaultsServer, TlsProfile defaultsClient) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ScriptException(file.toString(), 0, 0, "tls: cannot read config file: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        List<TlsProfile> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Section cur = null;
        for (int i = 0; i < lines.size(); i++) {
            int no = i + 1;
            String line = stripComment(lines.get(i)).trim();
            if (line.isEmpty()) continue;
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) throw error(file, no, "syntax error, ']' expected");
                if (cur != null) out.add(cur.build(dir));
                cur = section(file, no, line.substring(1, line.length() - 1).trim(), defaultsServer, defaultsClient);
                if (!seen.add(cur.name())) throw error(file, no, "duplicate TLS domain " + cur.name());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) throw error(file, no, "syntax error, 'option = value' expected");
            String name = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = unquote(line.substring(eq + 1).trim());
            if (cur == null) throw error(file, no, "option " + name + " outside a [server:...] or [client:...] section");
            if (NOT_IMPLEMENTED.contains(name)) throw error(file, no, "tls option " + name + " is not implemented");
            String field = OPTIONS.get(name);
            if (field == null) throw error(file, no, "unknown tls option " + name);
            cur.set(field, value, file, no);
        }
        if (cur != null) out.add(cur.build(dir));
        return out;
    }

    private static Section section(Path file, int no, String text, TlsProfile srv, TlsProfile cli) {
        int c = text.indexOf(':');
        if (c < 0) throw error(file, no, "TLS domain IP address missing");
        String type = text.substring(0, c).trim().toLowerCase(Locale.ROOT);
        boolean server = switch (type) {
            case "server", "srv", "s" -> true;
            case "client", "cli", "c" -> false;
            default -> throw error(file, no, "invalid TLS domain type '" + type + "'");
        };
        String addr = text.substring(c + 1).trim();
        String where = file + ":" + no;
        TlsProfile base = server ? srv : cli;
        switch (addr.toLowerCase(Locale.ROOT)) {
            case "default", "def", "*" -> { return new Section(base, server, TlsProfile.Scope.DEFAULT, null, where); }
            case "any", "all" -> { return new Section(base, server, TlsProfile.Scope.ANY, null, where); }
            default -> { return new Section(base, server, TlsProfile.Scope.ADDRESS, hostPort(file, no, addr), where); }
        }
    }

    private static InetSocketAddress hostPort(Path file, int no, String s) {
        String host;
        String port;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0 || end + 1 >= s.length() || s.charAt(end + 1) != ':') throw error(file, no, "invalid IPv6 address " + s);
            host = s.substring(1, end);
            port = s.substring(end + 2);
        } else {
            int c = s.lastIndexOf(':');
            if (c < 0) throw error(file, no, "syntax error, ':' expected");
            host = s.substring(0, c);
            port = s.substring(c + 1);
        }
        InetAddress ip;
        try {
            ip = InetAddress.ofLiteral(host.trim());
        } catch (IllegalArgumentException e) {
            throw error(file, no, "invalid IP address '" + host + "'");
        }
        try {
            int p = Integer.parseInt(port.trim());
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return new InetSocketAddress(ip, p);
        } catch (NumberFormatException e) {
            throw error(file, no, "invalid port number '" + port + "'");
        }
    }

    static boolean bool(String v, Path file, int no) {
        String l = v.toLowerCase(Locale.ROOT);
        if (BOOLEAN_TRUE.contains(l)) return true;
        if (BOOLEAN_FALSE.contains(l)) return false;
        throw error(file, no, "invalid boolean value '" + v + "'");
    }

    private static String stripComment(String l) {
        int h = l.indexOf('#');
        return h < 0 ? l : l.substring(0, h);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static ScriptException error(Path file, int no, String why) {
        return new ScriptException(file.toString(), no, 0, why);
    }

    /** A section being read: starts from the module parameters' profile of its type. */
    private static final class Section {
        private final boolean server;
        private final TlsProfile.Scope scope;
        private final InetSocketAddress address;
        private final String where;
        private final Map<String, String> set = new HashMap<>();
        private final TlsProfile base;
        private boolean verify;
        private boolean require;

        Section(TlsProfile base, boolean server, TlsProfile.Scope scope, InetSocketAddress address, String where) {
            this.base = base;
            this.server = server;
            this.scope = scope;
            this.address = address;
            this.where = where;
            this.verify = base.verifyCertificate();
            this.require = base.requireCertificate();
        }

        String name() {
            return new TlsProfile(server, scope, address, null, null, null, null, false, false, null, null, where).name();
        }

        void set(String field, String value, Path file, int no) {
            switch (field) {
                case "verify" -> verify = bool(value, file, no);
                case "require" -> require = bool(value, file, no);
                case "method" -> set.put(field, TlsMethods.check(value, file + ":" + no));
                default -> set.put(field, value);
            }
        }

        TlsProfile build(Path dir) {
            return new TlsProfile(server, scope, address, set.getOrDefault("method", base.method()),
                    path(dir, set.getOrDefault("cert", base.certificate())), path(dir, set.getOrDefault("key", base.privateKey())),
                    path(dir, set.getOrDefault("ca", base.caList())), verify, require,
                    set.getOrDefault("ciphers", base.cipherList()), set.get("sni"), where);
        }

        /** Relative file names are relative to the directory of tls.cfg. */
        private static String path(Path dir, String f) {
            if (f == null || f.isEmpty() || dir == null) return f == null || f.isEmpty() ? null : f;
            return dir.resolve(f).toString();
        }
    }
}
