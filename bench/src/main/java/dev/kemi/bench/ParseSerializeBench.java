package dev.kemi.bench;

import dev.kemi.runtime.sip.SipMessage;
import dev.kemi.runtime.sip.SipParseException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a proxy does to every INVITE it relays: parse a typical ~1 KB request, read Via, From,
 * To, Call-ID, CSeq and Max-Forwards, add its own Via and a Record-Route, serialize.
 * Goal: at least 300,000 messages/s on one core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseSerializeBench {

    private final byte[] invite = ("INVITE sip:bob@biloxi.example.com:5060;transport=udp SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: \"Bob\" <sip:bob@biloxi.example.com>\r\n"
            + "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:alice@pc33.atlanta.example.com:5060;transport=udp>\r\n"
            + "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE\r\n"
            + "Supported: replaces, timer, 100rel\r\n"
            + "User-Agent: Example SIP Phone 1.2.3\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 393\r\n"
            + "\r\n"
            + "v=0\r\n"
            + "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\n"
            + "s=Session SDP\r\n"
            + "c=IN IP4 192.0.2.101\r\n"
            + "t=0 0\r\n"
            + "m=audio 49172 RTP/AVP 0 8 18 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:18 G729/8000\r\n"
            + "a=fmtp:18 annexb=no\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n"
            + "m=video 51372 RTP/AVP 31\r\n"
            + "a=rtpmap:31 H261/90000\r\n"
            + "a=x-padding:0123456789012345678\r\n").getBytes(StandardCharsets.US_ASCII);

    @Benchmark
    public byte[] parseReadEditSerialize() throws SipParseException {
        SipMessage m = SipMessage.parse(invite);
        if (m.topVia().branch() == null || m.from().tag() == null || m.to().tag() != null
                || m.callId() == null || m.cseq().value() == 0 || m.maxForwards() < 1) {
            throw new IllegalStateException();
        }
        m.insertRecordRoute("<sip:192.0.2.1:5060;lr>");
        m.prependVia("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK83a7.1f3c9d2e.0");
        return m.toBytes();
    }
}
