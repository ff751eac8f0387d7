package dev.kemi.runtime.core;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Datagrams to a unix socket (what syslog(3) does with /dev/log), through libc: the JDK's
 * DatagramChannel has no AF_UNIX. One socket, synchronous sends; safe from any thread.
 */
final class UnixDatagramSender implements AutoCloseable {
    private static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 02000000, SUN_PATH = 108;
    private static final MethodHandle SOCKET, SENDTO, CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        SOCKET = linker.downcallHandle(libc.find("socket").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        SENDTO = linker.downcallHandle(libc.find("sendto").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment address;
    private final int addressLength;
    private final int fd;

    /** @throws IllegalStateException when the path does not fit a sockaddr_un or no socket can be made */
    UnixDatagramSender(Path path) {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length >= SUN_PATH) throw new IllegalStateException("unix socket path too long: " + path);
        addressLength = 2 + p.length + 1;
        address = arena.allocate(2 + SUN_PATH);
        address.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(p, 0, address, JAVA_BYTE, 2, p.length);
        try {
            fd = (int) SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (fd < 0) throw new IllegalStateException("socket(AF_UNIX, SOCK_DGRAM) failed");
    }

    /** One datagram; false if the kernel refused it (no listener, too big ...). */
    synchronized boolean send(byte[] data) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buf = call.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            long n = (long) SENDTO.invokeExact(fd, buf, (long) data.length, 0, address, addressLength);
            return n == data.length;
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing left to release
        }
        arena.close();
    }
}
