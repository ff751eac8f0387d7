package dev.kemi.runtime.modules.rtpengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** parse_flags cases whose outcome is not visible in one ng request (the call test compares those with Kamailio). */
class NgFlagsTest {

    private static NgFlags parse(Op op, String flags) {
        NgFlags f = new NgFlags(new LinkedHashMap<>(), op);
        assertTrue(f.parse(flags), flags);
        f.addCollected();
        return f;
    }

    @Test
    void offerListsAreDroppedOutsideOfferAndAnswer() {
        NgFlags f = parse(Op.DELETE, "replace-origin direction=internal codec-strip-all SDES-off trust-address");
        assertEquals(Map.of("flags", List.of("trust-address")), f.dict);
    }

    @Test
    void forceAnswerOnlyInAnOffer() {
        assertEquals(Op.ANSWER, parse(Op.OFFER, "force-answer").op);
        assertFalse(new NgFlags(new LinkedHashMap<>(), Op.DELETE).parse("force-answer"));
    }

    @Test
    void deleteDelayIsSentTwiceAsKamailioDoes() {
        NgFlags f = parse(Op.DELETE, "delete-delay=7");
        assertEquals(Map.of("delete delay", 7L, "delete-delay", "7"), f.dict);
    }

    @Test
    void transportBitsCombine() {
        assertEquals("RTP/SAVPF", parse(Op.OFFER, "SRTP AVPF").dict.get("transport-protocol"));
        assertEquals("RTP/AVPF", parse(Op.OFFER, "SRTP AVPF RTP").dict.get("transport-protocol"));
        assertEquals("UDP/TLS/RTP/SAVPF", parse(Op.OFFER, "DTLS AVPF").dict.get("transport-protocol"));
        // 0x107 has no name in Kamailio's table: nothing sent
        assertEquals(null, parse(Op.OFFER, "DTLS SRTP AVPF").dict.get("transport-protocol"));
    }

    @Test
    void viaBranchValues() {
        assertEquals(3, parse(Op.OFFER, "via-branch=auto").via);
        assertEquals(-4, parse(Op.OFFER, "via-branch=extra-auto").via);
        assertFalse(new NgFlags(new LinkedHashMap<>(), Op.OFFER).parse("via-branch=3"));
    }
}
