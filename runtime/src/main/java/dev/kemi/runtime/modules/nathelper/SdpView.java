package dev.kemi.runtime.modules.nathelper;

import java.util.ArrayList;
import java.util.List;

/**
 * The connection addresses of an SDP body, by session and stream, as Kamailio's parse_sdp gives
 * them to nathelper's sdp_1918 and the c-line test: enough for reading, not for editing.
 */
final class SdpView {
    /** A c= address: its family ("IP4"/"IP6", null if none) and value. */
    record Conn(String family, String address) {}

    record Session(Conn conn, List<Conn> streams) {}

    final List<Session> sessions = new ArrayList<>();

    /**
     * The body of a message that carries SDP (Content-Type application/sdp), or null: parse_sdp
     * refuses a body without Content-Type.
     */
    static SdpView of(byte[] body, String contentType) {
        if (body == null || body.length == 0 || contentType == null) return null;
        String t = contentType.strip().toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) t = t.substring(0, semi).strip();
        if (!t.replace(" ", "").equals("application/sdp")) return null;
        SdpView v = new SdpView();
        Conn session = null;
        List<Conn> streams = null;
        boolean inMedia = false;
        for (String line : new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).split("\r?\n")) {
            if (line.startsWith("v=")) {
                if (streams != null) v.sessions.add(new Session(session, streams));
                session = null;
                streams = new ArrayList<>();
                inMedia = false;
            } else if (streams == null) {
                continue;
            } else if (line.startsWith("m=")) {
                streams.add(null);
                inMedia = true;
            } else if (line.startsWith("c=")) {
                // extract_mediaip takes a section's first c= line
                Conn c = conn(line.substring(2));
                if (inMedia && streams.getLast() == null) streams.set(streams.size() - 1, c);
                else if (!inMedia && session == null) session = c;
            }
        }
        if (streams != null) v.sessions.add(new Session(session, streams));
        return v.sessions.isEmpty() ? null : v;
    }

    private static Conn conn(String value) {
        String[] t = value.trim().split("[ \t]+");
        if (t.length < 3) return new Conn(null, null);
        // the whole token, as extract_mediaip: "224.2.1.1/127" is no address to is1918addr
        return new Conn(t[1], t[2]);
    }

    /** Kamailio's isnulladdr: 0.0.0.0, or an IPv6 address of only '0' and ':'. */
    static boolean isNullAddress(String addr, boolean ipv6) {
        if (ipv6) {
            for (int i = 0; i < addr.length(); i++) if (addr.charAt(i) != '0' && addr.charAt(i) != ':') return false;
            return true;
        }
        return addr.equals("0.0.0.0");
    }
}
