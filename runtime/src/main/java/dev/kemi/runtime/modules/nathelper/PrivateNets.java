package dev.kemi.runtime.modules.nathelper;

/**
 * The private networks nathelper's RFC 1918 tests know (Kamailio's nh_nets_1918 and, with
 * nat_addr_mode 1, nh_nets_extra): RFC 1918, RFC 6598 carrier-grade NAT, RFC 7335. IPv4 only.
 */
final class PrivateNets {
    private record Net(int address, int mask) {
        boolean contains(int a) {
            return (a & mask) == address;
        }
    }

    private static final java.util.List<Net> NETS = java.util.List.of(
            new Net(0x0A000000, 0xFF000000), // 10/8
            new Net(0xAC100000, 0xFFF00000), // 172.16/12
            new Net(0xC0A80000, 0xFFFF0000), // 192.168/16
            new Net(0x64400000, 0xFFC00000), // 100.64/10
            new Net(0xC0000000, 0xFFFFFFF8)); // 192.0.0/29
    private static final Net EXTRA = new Net(0xC0000000, 0xFFFFFF00); // 192.0.0/24

    private final boolean extra;

    PrivateNets(boolean extra) {
        this.extra = extra;
    }

    /** 1 private, 0 public, -1 not an IPv4 address in dotted form (inet_aton's forms accepted). */
    int test(String addr) {
        long a = InetAton.parse(addr);
        return a < 0 ? -1 : (isPrivate((int) a) ? 1 : 0);
    }

    boolean isPrivate(int a) {
        for (Net n : NETS) if (n.contains(a)) return true;
        return extra && EXTRA.contains(a);
    }

    /** The source address test (bit 32): IPv4 only, as is1918addr_ip. */
    boolean isPrivate(java.net.InetAddress ip) {
        if (!(ip instanceof java.net.Inet4Address)) return false;
        byte[] b = ip.getAddress();
        return isPrivate(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    }
}
