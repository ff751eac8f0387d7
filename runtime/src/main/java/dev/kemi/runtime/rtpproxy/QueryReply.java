package dev.kemi.runtime.rtpproxy;

import java.util.List;

/** The Q reply: {@code ttl npkts_ina npkts_ino nrelayed ndropped}, or the named counters. */
final class QueryReply {

    static final List<String> COUNTERS = List.of("ttl", "npkts_ina", "npkts_ino", "nrelayed", "ndropped");

    static String format(RelaySession session, int index, int ttlSeconds, boolean verbose, List<String> names)
            throws CommandError {
        List<String> wanted = names.isEmpty() ? COUNTERS : names;
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder();
        for (String name : wanted) {
            long value = switch (name) {
                case "ttl" -> session.ttlLeft(ttlSeconds, now);
                case "npkts_ina" -> session.rtpPacketsIn(index);
                case "npkts_ino" -> session.rtpPacketsIn(1 - index);
                case "nrelayed" -> session.rtpRelayed();
                case "ndropped" -> session.rtpDropped();
                default -> throw new CommandError(ErrorCode.QUERY_FAILED, "unsupported counter " + name);
            };
            if (!out.isEmpty()) {
                out.append(' ');
            }
            if (verbose) {
                out.append(name).append('=');
            }
            out.append(value);
        }
        return out.toString();
    }

    private QueryReply() {
    }
}
