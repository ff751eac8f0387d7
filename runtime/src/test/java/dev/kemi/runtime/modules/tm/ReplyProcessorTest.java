package dev.kemi.runtime.modules.tm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplyProcessorTest {
    @Test
    void replyPriorityFollowsRfc3261() {
        assertTrue(ReplyProcessor.priority(603) < ReplyProcessor.priority(302));
        assertTrue(ReplyProcessor.priority(302) < ReplyProcessor.priority(486));
        assertTrue(ReplyProcessor.priority(407) < ReplyProcessor.priority(404));
        assertTrue(ReplyProcessor.priority(486) < ReplyProcessor.priority(500));
    }

    @Test
    void tmErrorReasonsCarryTheTmSignature() {
        assertEquals("Unfortunately error on sending to next hop occurred (477/TM)", TmErrors.reason(TmErrors.E_SEND));
        assertEquals("Unresolvable destination (478/TM)", TmErrors.reason(TmErrors.E_BAD_ADDRESS));
    }
}
