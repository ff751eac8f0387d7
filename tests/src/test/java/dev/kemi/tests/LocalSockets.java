package dev.kemi.tests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether another process holds a local address, read from /proc/net. Probing by binding the
 * address ourselves would race that process's own bind ("Address already in use").
 */
public final class LocalSockets {
    private LocalSockets() {}

    /** Some process has bound this UDP address. */
    public static boolean udpBound(InetSocketAddress a) {
        return table("udp").contains(" " + hex(a) + " ");
    }

    /** Some process listens on this TCP address (state 0A; a connection from that port does not count). */
    public static boolean tcpListening(InetSocketAddress a) {
        return table("tcp").contains(" " + hex(a) + " 00000000:0000 0A ");
    }

    private static String hex(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        return String.format("%02X%02X%02X%02X:%04X", ip[3] & 0xff, ip[2] & 0xff, ip[1] & 0xff, ip[0] & 0xff, a.getPort());
    }

    private static String table(String name) {
        try {
            return Files.readString(Path.of("/proc/net", name));
        } catch (IOException e) {
            return "";
        }
    }
}
