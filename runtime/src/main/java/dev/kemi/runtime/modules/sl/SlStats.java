package dev.kemi.runtime.modules.sl;

import dev.kemi.runtime.stats.Statistics;
import java.util.Set;

/**
 * sl's statistics of stateless replies, as Kamailio 5.6.3's sl counts them: a code with a
 * counter of its own goes there, others into their class; provisionals go to xxx_replies (so
 * 1xx_replies stays 0, as there); sent_replies is the sum; sent_err_replies counts
 * sl_reply_error() replies.
 */
final class SlStats {
    private static final Set<Integer> OWN = Set.of(200, 202, 300, 301, 302, 400, 401, 403, 404, 407, 408, 483, 500);
    private static final String[] NAMES = {"1xx", "200", "202", "2xx", "300", "301", "302", "3xx", "400", "401", "403",
        "404", "407", "408", "483", "4xx", "500", "5xx", "6xx", "xxx"};

    private SlStats() {}

    static void register(Statistics s) {
        for (String n : NAMES) s.counter("sl", n + "_replies");
        for (String n : new String[] {"sent_replies", "sent_err_replies", "failures", "received_ACKs"}) s.counter("sl", n);
    }

    static void sent(Statistics s, int code) {
        String name = code < 200 || code >= 700 ? "xxx" : OWN.contains(code) ? Integer.toString(code) : (code / 100) + "xx";
        s.counter("sl", name + "_replies").increment();
        s.counter("sl", "sent_replies").increment();
    }

    static void failed(Statistics s) {
        s.counter("sl", "failures").increment();
    }

    static void errorReply(Statistics s) {
        s.counter("sl", "sent_err_replies").increment();
    }
}
