package dev.kemi.tests.reload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether another process listens on a UDP address, without binding it ourselves (that would race its bind). */
final class UdpPorts {
    private UdpPorts() {}

    static boolean bound(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        String local = String.format(" %02X%02X%02X%02X:%04X ", ip[3] & 0xff, ip[2] & 0xff, ip[1] & 0xff, ip[0] & 0xff, a.getPort());
        try {
            return Files.readString(Path.of("/proc/net/udp")).contains(local);
        } catch (IOException e) {
            return false;
        }
    }
}
