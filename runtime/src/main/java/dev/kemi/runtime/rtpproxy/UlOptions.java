package dev.kemi.runtime.rtpproxy;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The modifiers and address arguments of a U or L command
 * ({@code U[mods] callid addr port from_tag [to_tag [notify_socket notify_tag]]}).
 */
final class UlOptions {

    boolean asymmetric;
    boolean weak;
    boolean newPort;
    boolean ipv6;
    /** From Z; accepted and validated, repacketization itself is not done. */
    int ptime = -1;
    String codecs;
    /** Local addresses of the callee-facing [0] and caller-facing [1] streams of a new session. */
    final InetAddress[] lia = new InetAddress[2];
    /** 1 while no I/E was given, -1 after two. */
    int lidx = 1;
    /** Forced by L or R. */
    InetAddress localAddress;
    /** Signalled media address of the party, or null (none / not an address / on hold). */
    InetSocketAddress remote;
    boolean onHold;
    String notifySocket;

    static UlOptions parse(ControlCommand cmd, BindAddresses binds, boolean update) throws CommandError {
        UlOptions o = new UlOptions();
        o.lia[0] = o.lia[1] = binds.first();
        if (update && cmd.argc() > 6) {
            o.notifySocket = cmd.argc() == 8 ? cmd.arg(6) : cmd.arg(5);
        }
        String mods = cmd.modifiers();
        for (int i = 0; i < mods.length(); i++) {
            char c = Character.toUpperCase(mods.charAt(i));
            switch (c) {
                case 'A' -> o.asymmetric = true;
                case 'S' -> o.asymmetric = false;
                case 'W' -> o.weak = true;
                case 'N' -> o.newPort = true;
                case '6' -> o.ipv6 = true;
                case 'E', 'I' -> {
                    if (o.lidx < 0 || binds.second() == null) {
                        throw new CommandError(c == 'E' ? ErrorCode.NO_EXTERNAL_ADDRESS : ErrorCode.NO_INTERNAL_ADDRESS,
                                "I/E need bridge mode (-l int/ext) and at most two of them");
                    }
                    o.lia[o.lidx--] = c == 'E' ? binds.second() : binds.first();
                }
                case 'Z' -> {
                    int end = digitsEnd(mods, i + 1);
                    o.ptime = end == i + 1 ? 0 : parseIntOr(mods.substring(i + 1, end), 0);
                    if (o.ptime <= 0 || o.ptime >= 1000) {
                        throw new CommandError(ErrorCode.BAD_PTIME, "Z needs 1..999 ms");
                    }
                    i = end - 1;
                }
                case 'C' -> {
                    int end = i + 1;
                    while (end < mods.length() && (Character.isDigit(mods.charAt(end)) || mods.charAt(end) == ',')) {
                        end++;
                    }
                    if (end == i + 1 || o.codecs != null) {
                        throw new CommandError(ErrorCode.BAD_CODECS, "c needs a payload type list");
                    }
                    o.codecs = mods.substring(i + 1, end);
                    i = end - 1;
                }
                case 'L', 'R' -> {
                    int end = addressEnd(mods, i + 1);
                    String text = mods.substring(i + 1, end);
                    if (text.startsWith("[") && text.endsWith("]")) {
                        text = text.substring(1, text.length() - 1);
                    }
                    InetAddress address = numeric(text);
                    if (address == null) {
                        throw new CommandError(c == 'L' ? ErrorCode.BAD_LOCAL_ADDRESS_SYNTAX
                                : ErrorCode.BAD_REMOTE_ADDRESS_SYNTAX, "bad address after " + c);
                    }
                    o.localAddress = c == 'L' ? address : localFor(address);
                    i = end - 1;
                }
                default -> throw new CommandError(ErrorCode.UNKNOWN_MODIFIER, "unknown modifier " + mods.charAt(i));
            }
        }
        if (o.localAddress == null && o.lidx == 1 && o.ipv6 != (o.lia[0] instanceof Inet6Address)) {
            // no direction given: take the bind address of the stream's family
            InetAddress match = binds.forFamily(o.ipv6);
            if (match == null) {
                throw new CommandError(ErrorCode.NO_ADDRESS_FOR_FAMILY, "no local address for this address family");
            }
            o.localAddress = match;
        }
        o.parseRemote(cmd.arg(2), cmd.arg(3));
        return o;
    }

    private void parseRemote(String addressText, String portText) throws CommandError {
        int length = addressText.length();
        boolean plausible = ipv6 ? length >= 2 && length <= 45 : length >= 7 && length <= 15;
        if (!plausible) {
            return; // like rtpproxy: something that is no address leaves the remote unset
        }
        InetAddress address = numeric(addressText);
        if (address == null || (address instanceof Inet6Address) != ipv6) {
            throw new CommandError(ErrorCode.BAD_REMOTE_ADDRESS, "bad remote address " + addressText);
        }
        int port = parseIntOr(portText, -1);
        if (port < 0 || port > 65535) {
            throw new CommandError(ErrorCode.BAD_REMOTE_ADDRESS, "bad remote port " + portText);
        }
        if (address.isAnyLocalAddress()) {
            onHold = true;
        } else if (port != 0) {
            remote = new InetSocketAddress(address, port);
        }
    }

    static InetAddress numeric(String text) {
        byte[] raw = NetUtil.createByteArrayFromIpAddressString(text);
        if (raw == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The local address the kernel would use towards {@code remote} (rtpproxy's R modifier). */
    private static InetAddress localFor(InetAddress remote) throws CommandError {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(remote, 9);
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new CommandError(ErrorCode.NO_LOCAL_FOR_REMOTE, "no local address towards " + remote);
            }
            return local;
        } catch (IOException | RuntimeException e) {
            throw new CommandError(ErrorCode.NO_LOCAL_FOR_REMOTE, "no local address towards " + remote);
        }
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    /** IPv4 digits and dots, or a bracketed IPv6 address. */
    private static int addressEnd(String s, int from) {
        if (from < s.length() && s.charAt(from) == '[') {
            int close = s.indexOf(']', from);
            return close < 0 ? s.length() : close + 1;
        }
        int end = from;
        while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
            end++;
        }
        return end;
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
