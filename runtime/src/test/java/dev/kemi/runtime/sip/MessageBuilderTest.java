package dev.kemi.runtime.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {

    static final String REQ = "INVITE sip:bob@b.example SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP p1.example;branch=z9hG4bKp1, SIP/2.0/UDP a.example;branch=z9hG4bKa\r\n"
            + "v: SIP/2.0/TCP origin.example;branch=z9hG4bKo\r\n"
            + "Max-Forwards: 69\r\n"
            + "From: Alice <sip:alice@a.example>;tag=9fxced76sl\r\n"
            + "To: Bob <sip:bob@b.example>\r\n"
            + "Call-ID: 3848276298220188511@a.example\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:alice@pc.a.example>\r\n"
            + "Content-Length: 0\r\n\r\n";

    @Test
    void responseCopiesTransactionFieldsVerbatim() throws Exception {
        SipMessage req = SipMessage.parse(REQ.getBytes(StandardCharsets.UTF_8));
        SipMessage r = SipMessage.response(req, 486, "Busy Here", "xyz", List.of("Server: kemi", "Retry-After: 60\r\n"), null);
        assertEquals("SIP/2.0 486 Busy Here\r\n"
                + "Via: SIP/2.0/UDP p1.example;branch=z9hG4bKp1, SIP/2.0/UDP a.example;branch=z9hG4bKa\r\n"
                + "v: SIP/2.0/TCP origin.example;branch=z9hG4bKo\r\n"
                + "From: Alice <sip:alice@a.example>;tag=9fxced76sl\r\n"
                + "To: Bob <sip:bob@b.example>;tag=xyz\r\n"
                + "Call-ID: 3848276298220188511@a.example\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Server: kemi\r\n"
                + "Retry-After: 60\r\n"
                + "Content-Length: 0\r\n\r\n", r.toString());
        assertEquals(486, r.status());
        assertEquals("INVITE", r.method());
        assertEquals("xyz", r.to().tag());
        assertEquals(3, r.vias().size());
    }

    @Test
    void responseKeepsExistingToTagAndCarriesBody() throws Exception {
        String withTag = REQ.replace("To: Bob <sip:bob@b.example>", "To: Bob <sip:bob@b.example>;tag=old");
        SipMessage req = SipMessage.parse(withTag.getBytes(StandardCharsets.UTF_8));
        byte[] body = "v=0\r\n".getBytes(StandardCharsets.US_ASCII);
        SipMessage r = SipMessage.response(req, 200, "OK", "new", List.of("Content-Type: application/sdp"), body);
        assertEquals("old", r.to().tag());
        assertEquals(5, r.contentLength());
        assertEquals("v=0\r\n", new String(r.body(), StandardCharsets.US_ASCII));
        assertEquals("application/sdp", r.contentType());
    }

    @Test
    void requestFromParts() throws Exception {
        SipMessage c = SipMessage.request("CANCEL", "sip:bob@b.example", List.of(
                "Via: SIP/2.0/UDP p1.example;branch=z9hG4bKp1", "From: <sip:alice@a.example>;tag=1",
                "To: <sip:bob@b.example>", "Call-ID: c", "CSeq: 1 CANCEL", "Content-Length: 99", "Max-Forwards: 70"), null);
        assertEquals("CANCEL sip:bob@b.example SIP/2.0\r\nVia: SIP/2.0/UDP p1.example;branch=z9hG4bKp1\r\n"
                + "From: <sip:alice@a.example>;tag=1\r\nTo: <sip:bob@b.example>\r\nCall-ID: c\r\nCSeq: 1 CANCEL\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n", c.toString());
        c.validate();
        assertThrows(IllegalArgumentException.class, () -> SipMessage.request("BAD METHOD", "sip:x", List.of(), null));
    }

    @Test
    void errorReplyRecoveryFromBrokenRequests() throws Exception {
        byte[] broken = ("INVITE  sip:bob@b.example SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP a.example:5066;branch=z9hG4bKa;rport\r\n"
                + "From: <sip:alice@a.example>;tag=1\r\n"
                + "To: \"unterminated <sip:bob@b.example>\r\n"
                + "garbage line without colon\r\n"
                + "Call-ID: abc\r\n"
                + "CSeq: 7 INVITE\r\n"
                + "Content-Length: 9999\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        SipParseException e = assertThrows(SipParseException.class, () -> SipMessage.parse(broken));
        SipMessage req = SipMessage.parseForErrorReply(broken);
        assertNotNull(req);
        assertEquals("a.example", req.topVia().host());
        SipMessage reply = SipMessage.response(req, e.replyCode(), e.getMessage(), "t", List.of(), null);
        assertEquals(400, reply.status());
        assertEquals("Extra whitespace in Request-Line", reply.reason());
        assertEquals("abc", reply.callId());
        assertEquals(new CSeq(7, "INVITE"), reply.cseq());
        assertEquals(5066, reply.topVia().port());
    }

    @Test
    void errorReplyRecoveryGivesUpWhenNoReplyIsPossible() {
        String ok = "OPTIONS sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:a@a>;tag=1\r\nTo: <sip:b@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n";
        assertNotNull(SipMessage.parseForErrorReply(ok.getBytes(StandardCharsets.UTF_8)));
        assertNull(SipMessage.parseForErrorReply(ok.replace("OPTIONS sip:b", "ACK sip:b").getBytes(StandardCharsets.UTF_8)));
        assertNull(SipMessage.parseForErrorReply(ok.replace("SIP/2.0/UDP a;", "SIP/2.0/UDP ;").getBytes(StandardCharsets.UTF_8)));
        assertNull(SipMessage.parseForErrorReply(ok.replace("Call-ID: c\r\n", "").getBytes(StandardCharsets.UTF_8)));
        assertNull(SipMessage.parseForErrorReply("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(SipMessage.parseForErrorReply(new byte[0]));
    }

    @Test
    void errorReplyForUnsupportedVersion() throws Exception {
        byte[] raw = TortureCorpus.load("invalid", "badvers");
        SipParseException e = assertThrows(SipParseException.class, () -> SipMessage.parse(raw));
        SipMessage req = SipMessage.parseForErrorReply(raw);
        assertNotNull(req);
        SipMessage reply = SipMessage.response(req, e.replyCode(), e.getMessage(), null, List.of(), null);
        assertEquals("SIP/2.0 505 Version Not Supported", reply.toString().split("\r\n")[0]);
        assertEquals("c.example.com", reply.topVia().host());
    }
}
