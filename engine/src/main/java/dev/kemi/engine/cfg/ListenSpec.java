package dev.kemi.engine.cfg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One address of a {@code listen=} (or {@code alias=}) value:
 * {@code [proto:]addr[:port] [advertise host[:port]] [name "str"] [virtual]}.
 *
 * @param proto         "udp", "tcp", "tls", "sctp", "ws", "wss", or null for any ('*' or none)
 * @param addr          IP (IPv6 without brackets), host or interface name
 * @param port          port; 0 when omitted or '*'
 * @param advertiseHost advertised host, null if none
 * @param advertisePort advertised port, 0 if none
 * @param name          socket name, null if none
 */
public record ListenSpec(String proto, String addr, int port, String advertiseHost, int advertisePort, String name) {

    /** Parses a whole listen= value, which may hold several addresses. */
    public static List<ListenSpec> parseAll(String value) {
        List<String> words = words(value);
        List<ListenSpec> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String lw = w.toLowerCase(Locale.ROOT);
            if (lw.equals("virtual")) continue;
            if (lw.equals("advertise") || lw.equals("name")) {
                if (out.isEmpty() || i + 1 >= words.size()) throw new IllegalArgumentException("'" + w + "' needs a value: " + value);
                String arg = words.get(++i);
                ListenSpec adv = lw.equals("name") ? null : parseOne(arg);
                // as Kamailio's grammar: advertise and name apply to every address of the line
                out.replaceAll(s -> adv == null
                        ? new ListenSpec(s.proto, s.addr, s.port, s.advertiseHost, s.advertisePort, unquote(arg))
                        : new ListenSpec(s.proto, s.addr, s.port, adv.addr, adv.port, s.name));
                continue;
            }
            out.add(parseOne(w));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("empty listen value");
        return out;
    }

    /** {@code [proto:]addr[:port]}; an "(a1, a2)" SCTP group keeps its first address. */
    public static ListenSpec parseOne(String w) {
        String proto = null;
        String rest = w;
        int colon = w.indexOf(':');
        if (colon > 0) {
            String p = w.substring(0, colon).toLowerCase(Locale.ROOT);
            if (p.equals("*") || p.matches("udp|tcp|tls|sctp|ws|wss")) {
                proto = p.equals("*") ? null : p;
                rest = w.substring(colon + 1);
            }
        }
        String addr;
        String portText = null;
        if (rest.startsWith("(")) {
            int close = rest.indexOf(')');
            if (close < 0) throw new IllegalArgumentException("unclosed '(' in " + w);
            addr = rest.substring(1, close).split(",")[0].strip();
            rest = rest.substring(close + 1);
            if (rest.startsWith(":")) portText = rest.substring(1);
        } else if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("unclosed '[' in " + w);
            addr = rest.substring(1, close);
            if (rest.startsWith(":", close + 1)) portText = rest.substring(close + 2);
        } else if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            if (close < 0) throw new IllegalArgumentException("unclosed '\"' in " + w);
            // alias="host:port" is common: a quoted word alone reads like the unquoted one
            if (proto == null && close == rest.length() - 1 && !rest.substring(1, close).isBlank()) {
                return parseOne(rest.substring(1, close));
            }
            addr = rest.substring(1, close);
            if (rest.startsWith(":", close + 1)) portText = rest.substring(close + 2);
        } else {
            int c = rest.lastIndexOf(':');
            // more than one ':' without brackets is a bare IPv6 address
            if (c > 0 && rest.indexOf(':') == c) {
                addr = rest.substring(0, c);
                portText = rest.substring(c + 1);
            } else {
                addr = rest;
            }
        }
        if (addr.isEmpty()) throw new IllegalArgumentException("missing address in " + w);
        int port = 0;
        if (portText != null && !portText.equals("*")) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port '" + portText + "' in " + w);
            }
            if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port " + port + " in " + w);
        }
        return new ListenSpec(proto, addr, port, null, 0, null);
    }

    /** The same spec with the default port ({@code port=}, or {@code tls_port_no=} for TLS) filled in. */
    public ListenSpec withDefaultPort(int port, int tlsPort) {
        if (this.port != 0) return this;
        int p = "tls".equals(proto) || "wss".equals(proto) ? tlsPort : port;
        return new ListenSpec(proto, addr, p, advertiseHost, advertisePort, name);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Splits on blanks, keeping quoted strings and (...) groups whole. */
    private static List<String> words(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        int paren = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '(') paren++;
            else if (!quoted && c == ')') paren--;
            if (!quoted && paren == 0 && Character.isWhitespace(c)) {
                if (!b.isEmpty()) out.add(b.toString());
                b.setLength(0);
            } else if (!(paren > 0 && !quoted && Character.isWhitespace(c))) {
                b.append(c);
            }
        }
        if (!b.isEmpty()) out.add(b.toString());
        return out;
    }
}
