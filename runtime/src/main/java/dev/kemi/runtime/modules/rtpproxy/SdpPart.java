package dev.kemi.runtime.modules.rtpproxy;

import java.util.Locale;

/** Where the SDP is inside a body: all of it, or the application/sdp part of a multipart body. */
public record SdpPart(int start, int end) {

    /** Null when the body carries no SDP. */
    public static SdpPart find(String body, String contentType) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        String type = contentType == null ? "application/sdp" : contentType.toLowerCase(Locale.ROOT).strip();
        if (type.startsWith("application/sdp")) {
            return new SdpPart(0, body.length());
        }
        if (!type.startsWith("multipart/")) {
            return null;
        }
        String boundary = boundary(contentType);
        if (boundary == null) {
            return null;
        }
        String delimiter = "--" + boundary;
        int pos = body.indexOf(delimiter);
        while (pos >= 0) {
            int headersStart = body.indexOf('\n', pos);
            if (headersStart < 0 || body.startsWith("--", pos + delimiter.length())) {
                return null;
            }
            headersStart++;
            int blank = blankLine(body, headersStart);
            if (blank < 0) {
                return null;
            }
            int next = body.indexOf("\n" + delimiter, blank);
            if (next < 0) {
                return null;
            }
            String headers = body.substring(headersStart, blank).toLowerCase(Locale.ROOT);
            int contentStart = body.charAt(blank) == '\r' ? blank + 4 : blank + 2;
            if (headers.contains("application/sdp")) {
                int contentEnd = next > 0 && body.charAt(next - 1) == '\r' ? next - 1 : next;
                return new SdpPart(Math.min(contentStart, contentEnd), contentEnd);
            }
            pos = next + 1;
        }
        return null;
    }

    private static int blankLine(String body, int from) {
        int crlf = body.indexOf("\r\n\r\n", from);
        int lf = body.indexOf("\n\n", from);
        if (crlf >= 0 && (lf < 0 || crlf < lf + 1)) {
            return crlf;
        }
        return lf;
    }

    private static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String v = p.substring(9).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }
}
