package dev.kemi.runtime.modules.core;

/**
 * Text surgery on a SIP URI for the rewrite functions (setuser, sethost, setport, prefix,
 * strip): split into scheme, user info, host, port and the rest (params/headers), unparsed.
 */
public record UriText(String scheme, String userinfo, String host, String port, String rest) {

    /** null if the text has no scheme. */
    public static UriText split(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0) return null;
        String scheme = uri.substring(0, colon);
        String s = uri.substring(colon + 1);
        int restAt = indexOfAny(s, ";?");
        int at = s.lastIndexOf('@', restAt < 0 ? s.length() - 1 : restAt);
        String userinfo = at >= 0 ? s.substring(0, at) : null;
        String hp = s.substring(at + 1);
        int r = indexOfAny(hp, ";?");
        String rest = r >= 0 ? hp.substring(r) : "";
        if (r >= 0) hp = hp.substring(0, r);
        String host = hp;
        String port = null;
        int pc = hp.startsWith("[") ? hp.indexOf(':', hp.indexOf(']')) : hp.lastIndexOf(':');
        if (pc >= 0) {
            host = hp.substring(0, pc);
            port = hp.substring(pc + 1);
        }
        return new UriText(scheme, userinfo, host, port, rest);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }

    /** User without password, "" if none. */
    public String user() {
        if (userinfo == null) return "";
        int c = userinfo.indexOf(':');
        return c >= 0 ? userinfo.substring(0, c) : userinfo;
    }

    public UriText withUser(String user) {
        String pw = "";
        if (userinfo != null && userinfo.indexOf(':') >= 0) pw = userinfo.substring(userinfo.indexOf(':'));
        return new UriText(scheme, user == null || user.isEmpty() ? null : user + pw, host, port, rest);
    }

    public UriText withHost(String h) {
        return new UriText(scheme, userinfo, h, port, rest);
    }

    public UriText withPort(String p) {
        return new UriText(scheme, userinfo, host, p == null || p.isEmpty() ? null : p, rest);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(scheme).append(':');
        if (userinfo != null) b.append(userinfo).append('@');
        b.append(host);
        if (port != null) b.append(':').append(port);
        return b.append(rest).toString();
    }
}
