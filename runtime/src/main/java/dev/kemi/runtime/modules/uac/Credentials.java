package dev.kemi.runtime.modules.uac;

import java.util.ArrayList;
import java.util.List;

/** The "credential" modparams ("user:realm:password"), looked up by realm; the last one given wins, as in Kamailio's list. */
final class Credentials {
    record Credential(String user, String realm, String password) {}

    private final List<Credential> list = new ArrayList<>();

    /** Parses one modparam value as Kamailio's add_credential; IllegalArgumentException with the position on bad input. */
    void add(String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("credential: empty value");
        int[] p = {0};
        String user = token(value, p, true);
        separator(value, p);
        String realm = token(value, p, true);
        separator(value, p);
        String pass = token(value, p, false);
        skipBlanks(value, p);
        if (user == null || realm == null || pass == null || p[0] != value.length()) {
            throw new IllegalArgumentException("credential: parse error in <" + value + "> around " + p[0]);
        }
        list.addFirst(new Credential(user, realm, pass));
    }

    Credential forRealm(String realm) {
        for (Credential c : list) if (c.realm.equals(realm)) return c;
        return null;
    }

    private static void skipBlanks(String s, int[] p) {
        while (p[0] < s.length() && Character.isWhitespace(s.charAt(p[0]))) p[0]++;
    }

    /** A non-empty token; user and realm end at ':' and must be followed by something. */
    private static String token(String s, int[] p, boolean colonEnds) {
        skipBlanks(s, p);
        int start = p[0];
        while (p[0] < s.length() && !Character.isWhitespace(s.charAt(p[0])) && !(colonEnds && s.charAt(p[0]) == ':')) p[0]++;
        if (p[0] == start || (colonEnds && p[0] == s.length())) {
            throw new IllegalArgumentException("credential: parse error in <" + s + "> around " + p[0]);
        }
        return s.substring(start, p[0]);
    }

    private static void separator(String s, int[] p) {
        skipBlanks(s, p);
        if (p[0] >= s.length() || s.charAt(p[0]) != ':') {
            throw new IllegalArgumentException("credential: parse error in <" + s + "> around " + p[0]);
        }
        p[0]++;
        skipBlanks(s, p);
        if (p[0] >= s.length()) throw new IllegalArgumentException("credential: parse error in <" + s + "> around " + p[0]);
    }
}
