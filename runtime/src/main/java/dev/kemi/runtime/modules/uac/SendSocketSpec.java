package dev.kemi.runtime.modules.uac;

import dev.kemi.runtime.transport.ListenSocket;

/** Whether a socket is the one a "proto:host:port" (Kamailio's parse_phostport form) names. */
final class SendSocketSpec {
    private SendSocketSpec() {}

    static boolean matches(ListenSocket s, String spec) {
        String v = spec.trim();
        String proto = null;
        int c = v.indexOf(':');
        if (c > 0 && v.substring(0, c).chars().allMatch(Character::isLetter)) {
            proto = v.substring(0, c);
            v = v.substring(c + 1);
        }
        int pc = v.lastIndexOf(':');
        if (v.startsWith("[") && pc < v.lastIndexOf(']')) pc = -1;
        String host = pc > 0 ? v.substring(0, pc) : v;
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = 0;
        if (pc > 0) {
            try {
                port = Integer.parseInt(v.substring(pc + 1).trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (proto != null && !s.proto().lower().equalsIgnoreCase(proto)) return false;
        if (port != 0 && s.address().getPort() != port) return false;
        return host.equalsIgnoreCase(s.address().getAddress().getHostAddress()) || host.equalsIgnoreCase(s.advertiseHost());
    }
}
