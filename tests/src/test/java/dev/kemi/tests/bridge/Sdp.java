package dev.kemi.tests.bridge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a one-stream audio SDP the tests look at, read from the wire text; and the SDP the phones send. */
record Sdp(String connection, int port, String origin, String text) {

    private static final Pattern CONNECTION = Pattern.compile("(?m)^c=IN IP4 (\\S+)\\r?$");
    private static final Pattern MEDIA = Pattern.compile("(?m)^m=audio (\\d+) ");
    private static final Pattern ORIGIN = Pattern.compile("(?m)^o=\\S+ \\S+ \\S+ IN IP4 (\\S+)\\r?$");

    static Sdp parse(String body) {
        return new Sdp(group(CONNECTION, body), Integer.parseInt(group(MEDIA, body)), group(ORIGIN, body), body);
    }

    /** A phone's offer or answer: session-level c=, one PCMU stream, a direction attribute. */
    static String of(String host, String connection, int port, String direction) {
        return "v=0\r\n"
                + "o=- 1 1 IN IP4 " + host + "\r\n"
                + "s=-\r\n"
                + "c=IN IP4 " + connection + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=" + direction + "\r\n";
    }

    boolean has(String line) {
        return text.contains(line + "\r\n") || text.endsWith(line);
    }

    private static String group(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new AssertionError("no " + p + " in SDP:\n" + body);
        }
        return m.group(1);
    }
}
