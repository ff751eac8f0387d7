package dev.kemi.runtime.modules.rtpproxy;

/** The flag string of rtpproxy_offer/answer/manage, read as Kamailio's force_rtp_proxy does. */
final class RtpproxyFlags {

    /** Command modifiers (A, I, E, S) in the order given. */
    final StringBuilder modifiers = new StringBuilder();
    /** Z and its digits. */
    final StringBuilder repacketize = new StringBuilder();
    int via;
    boolean extraId;
    boolean lookup;
    boolean force;
    boolean trustSdpAddress;
    boolean sessionConnection;
    boolean autoBridge;

    /** Null for an unknown flag or {@code l} in an answer (both make the function return -1). */
    static RtpproxyFlags parse(String flags, boolean offer, boolean isReply) {
        RtpproxyFlags f = new RtpproxyFlags();
        if (flags == null) {
            return f;
        }
        for (int i = 0; i < flags.length(); i++) {
            char c = flags.charAt(i);
            switch (c) {
                case '1' -> f.via = 1;
                case '2' -> f.via = 2;
                case '3' -> f.via = isReply ? 2 : 1;
                case 'a', 'A' -> {
                    f.modifiers.append('A');
                    f.trustSdpAddress = true;
                }
                case 'b' -> f.extraId = true;
                case 'i', 'I' -> f.modifiers.append('I');
                case 'e', 'E' -> f.modifiers.append('E');
                case 'l', 'L' -> {
                    if (!offer) {
                        return null;
                    }
                    f.lookup = true;
                }
                case 'f', 'F' -> f.force = true;
                case 'r', 'R' -> f.trustSdpAddress = true;
                case 'c', 'C' -> f.sessionConnection = true;
                case 'o', 'O' -> {
                    // parsed, but the o= address is always rewritten (Kamailio 5.6.3)
                }
                case 'x', 'X' -> f.autoBridge = true;
                case 'w', 'W' -> f.modifiers.append('S');
                case 'z', 'Z' -> {
                    f.repacketize.append('Z');
                    while (i + 1 < flags.length() && Character.isDigit(flags.charAt(i + 1))) {
                        f.repacketize.append(flags.charAt(++i));
                    }
                }
                case 't', 'T' -> {
                    // destroy only
                }
                default -> {
                    return null;
                }
            }
        }
        return f;
    }

    /** Flags accepted by rtpproxy_destroy: 1/2/3, b, t; offer/answer letters ignored; else null. */
    record DestroyFlags(int via, boolean withToTag, boolean extraId) {
        static DestroyFlags parse(String flags, boolean isReply) {
            int via = 0;
            boolean to = true;
            boolean extra = false;
            if (flags != null) {
                for (char c : flags.toCharArray()) {
                    switch (c) {
                        case '1' -> via = 1;
                        case '2' -> via = 2;
                        case '3' -> via = isReply ? 2 : 1;
                        case 't', 'T' -> to = false;
                        case 'b' -> extra = true;
                        case 'a', 'A', 'i', 'I', 'e', 'E', 'l', 'L', 'f', 'F', 'r', 'R', 'c', 'C', 'o', 'O', 'x', 'X',
                             'w', 'W', 'z', 'Z' -> {
                            // may come from rtpproxy_manage: ignored
                        }
                        default -> {
                            return null;
                        }
                    }
                }
            }
            return new DestroyFlags(via, to, extra);
        }
    }
}
