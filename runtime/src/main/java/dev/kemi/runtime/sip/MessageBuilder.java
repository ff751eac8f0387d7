package dev.kemi.runtime.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds responses to received requests and new requests as bytes, then parses them. */
final class MessageBuilder {
    private MessageBuilder() {}

    /**
     * Copies the request's Via, From, To, Call-ID and CSeq fields byte for byte in received order
     * (as Kamailio does), adds ";tag=" to To when asked and no tag is present, then the extra
     * lines, Content-Length and the body.
     */
    static SipMessage response(SipMessage req, int code, String reason, String toTag,
                               List<String> extraHeaders, byte[] body) {
        if (code < 100 || code > 699) throw new IllegalArgumentException("status code " + code);
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(out, "SIP/2.0 " + code + " " + (reason == null ? "" : reason) + "\r\n");
        byte[] b = req.buffer();
        HeaderIndex x = req.index();
        for (int i = 0; i < x.count(); i++) {
            int t = x.type(i);
            if (t == HeaderNames.VIA || t == HeaderNames.FROM || t == HeaderNames.CALL_ID || t == HeaderNames.CSEQ) {
                out.write(b, x.start(i), x.end(i) - x.start(i));
            } else if (t == HeaderNames.TO) {
                if (toTag != null && !hasTag(req, i)) {
                    out.write(b, x.start(i), x.valueEnd(i) - x.start(i));
                    write(out, ";tag=" + toTag);
                    out.write(b, x.valueEnd(i), x.end(i) - x.valueEnd(i));
                } else {
                    out.write(b, x.start(i), x.end(i) - x.start(i));
                }
            }
        }
        return finish(out, extraHeaders, body);
    }

    private static boolean hasTag(SipMessage req, int toField) {
        try {
            return req.to().tag() != null;
        } catch (SipParseException e) {
            HeaderIndex x = req.index();
            return ViaParamLocator.find(req.buffer(), x.valueStart(toField), x.valueEnd(toField), "tag") != null;
        }
    }

    static SipMessage request(String method, String requestUri, List<String> headerLines, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(out, method + " " + requestUri + " SIP/2.0\r\n");
        return finish(out, headerLines, body);
    }

    private static SipMessage finish(ByteArrayOutputStream out, List<String> lines, byte[] body) {
        if (lines != null) {
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && HeaderNames.id(line.substring(0, colon)) == HeaderNames.CONTENT_LENGTH) continue;
                write(out, line);
                if (!line.endsWith("\n")) write(out, "\r\n");
            }
        }
        int len = body == null ? 0 : body.length;
        write(out, "Content-Length: " + len + "\r\n\r\n");
        if (len > 0) out.write(body, 0, len);
        try {
            return SipMessage.parse(out.toByteArray());
        } catch (SipParseException e) {
            throw new IllegalArgumentException("built message does not parse: " + e.getMessage(), e);
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
