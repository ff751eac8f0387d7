package dev.kemi.runtime.modules.rtpproxy;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an SDP body the rtpproxy module rewrites, as offsets into the body text: per
 * session the o= and c= addresses, per m= line its port, payload list, c= address and a=rtcp
 * port. Several sessions (each starting at v=) may follow each other.
 */
final class Sdp {

    /** An address in o= or c=: [start, end) of the address, and where the "4"/"6" of IP4/IP6 is. */
    record Address(int familyDigit, int start, int end, boolean ipv6) {
        String text(String sdp) {
            return sdp.substring(start, end);
        }
    }

    record Span(int start, int end) {
        String text(String sdp) {
            return sdp.substring(start, end);
        }
    }

    static final class Session {
        Address origin;
        Address connection;
        final List<Media> media = new ArrayList<>();
    }

    static final class Media {
        Span port;
        String payloads;
        boolean rtp;
        Address connection;
        Span rtcpPort;
    }

    final List<Session> sessions = new ArrayList<>();

    int streamCount() {
        int n = 0;
        for (Session s : sessions) {
            n += s.media.size();
        }
        return n;
    }

    /** Parses {@code text[from, to)}; offsets in the result are offsets into {@code text}. */
    static Sdp parse(String text, int from, int to) {
        Sdp sdp = new Sdp();
        Session session = null;
        Media media = null;
        int pos = from;
        while (pos < to) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0 || eol > to) {
                eol = to;
            }
            int end = eol > pos && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            if (end - pos >= 2 && text.charAt(pos + 1) == '=') {
                char type = text.charAt(pos);
                int value = pos + 2;
                if (type == 'v') {
                    session = new Session();
                    sdp.sessions.add(session);
                    media = null;
                } else if (session != null) {
                    switch (type) {
                        case 'o' -> session.origin = address(text, value, end, 4);
                        case 'c' -> {
                            Address a = address(text, value, end, 1);
                            if (media != null) {
                                media.connection = a;
                            } else {
                                session.connection = a;
                            }
                        }
                        case 'm' -> {
                            media = media(text, value, end);
                            if (media != null) {
                                session.media.add(media);
                            }
                        }
                        case 'a' -> {
                            if (media != null && text.startsWith("rtcp:", value)) {
                                List<Span> tokens = tokens(text, value + 5, end);
                                if (!tokens.isEmpty() && isDigits(tokens.getFirst().text(text))) {
                                    media.rtcpPort = tokens.getFirst();
                                }
                            }
                        }
                        default -> {
                        }
                    }
                }
            }
            pos = eol + 1;
        }
        return sdp;
    }

    /** "... IN IP4 addr[/ttl]": the address token after {@code skip} tokens, then nettype and addrtype. */
    private static Address address(String text, int from, int to, int skip) {
        List<Span> tokens = tokens(text, from, to);
        if (tokens.size() < skip + 2) {
            return null;
        }
        Span type = tokens.get(skip);
        Span addr = tokens.get(skip + 1);
        String typeText = type.text(text);
        if (!typeText.equalsIgnoreCase("IP4") && !typeText.equalsIgnoreCase("IP6")) {
            return null;
        }
        int end = addr.end;
        int slash = text.indexOf('/', addr.start);
        if (slash >= 0 && slash < end) {
            end = slash;
        }
        return new Address(type.end - 1, addr.start, end, typeText.endsWith("6"));
    }

    private static Media media(String text, int from, int to) {
        List<Span> tokens = tokens(text, from, to);
        if (tokens.size() < 3) {
            return null;
        }
        Media m = new Media();
        Span port = tokens.get(1);
        int slash = text.indexOf('/', port.start);
        m.port = slash >= 0 && slash < port.end ? new Span(port.start, slash) : port;
        m.rtp = tokens.get(2).text(text).toUpperCase(java.util.Locale.ROOT).contains("RTP");
        m.payloads = tokens.size() > 3 ? text.substring(tokens.get(3).start, tokens.getLast().end) : "";
        return m;
    }

    private static List<Span> tokens(String text, int from, int to) {
        List<Span> out = new ArrayList<>(8);
        int i = from;
        while (i < to) {
            while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < to && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                i++;
            }
            if (i > start) {
                out.add(new Span(start, i));
            }
        }
        return out;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Kamailio's isnulladdr: "0.0.0.0", or an IPv6 address made of zeros and colons only. */
    static boolean isNullAddress(String address, boolean ipv6) {
        if (ipv6) {
            for (int i = 0; i < address.length(); i++) {
                char c = address.charAt(i);
                if (c != '0' && c != ':') {
                    return false;
                }
            }
            return true;
        }
        return address.equals("0.0.0.0");
    }
}
