package dev.kemi.runtime.transport.ws;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Whether bytes are valid UTF-8: a SIP message goes as a text frame if so, else binary (RFC 7118 §5.2). */
final class Utf8 {
    private Utf8() {}

    static boolean valid(ByteBuf buf) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf.nioBuffer());
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
