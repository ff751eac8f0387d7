package dev.kemi.runtime.modules.rtpengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeTest {

    private static Object decode(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Bencode.decode(b, 0, b.length);
    }

    @Test
    void roundTripKeepsOrderAndBytes() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sdp", "v=0\r\n\u00e9");
        d.put("flags", List.of("a", "b"));
        d.put("TOS", 184L);
        String text = new String(Bencode.encode(d), StandardCharsets.ISO_8859_1);
        assertEquals("d3:sdp6:v=0\r\n\u00e95:flagsl1:a1:be3:TOSi184ee", text);
        assertEquals(d, decode(text));
    }

    @Test
    void malformedRepliesAreRefusedNotCrashing() {
        for (String bad : List.of("", "d", "d3:sdp", "5:abc", "i12", "x", "d3:sdp3:abce trailing", "di1ei2ee",
                "99999999999999999999:x", "l-1:e")) {
            assertThrows(IllegalArgumentException.class, () -> decode(bad), bad);
        }
    }
}
