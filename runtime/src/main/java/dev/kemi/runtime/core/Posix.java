package dev.kemi.runtime.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the JVM does not offer (FFM, Java 22+): FIFOs, non-blocking open for reply
 * FIFOs, and dropping root privileges. glibc applies setuid/setgid to every thread of the process.
 */
public final class Posix {
    public static final int O_WRONLY = 01, O_NONBLOCK = 04000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final MethodHandle MKFIFO = fn("mkfifo", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle WRITE = fn("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG, INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SETUID = fn("setuid", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SETGID = fn("setgid", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SETGROUPS = fn("setgroups", FunctionDescriptor.of(INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle GETEUID = fn("geteuid", FunctionDescriptor.of(INT));

    private Posix() {}

    private static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, CAPTURE);
    }

    /** Calls f, returning its result, or throws IOException "what: strerror" when it returned -1. */
    private static long call(String what, MethodHandle f, Object... args) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(ERRNO_STATE);
            Object[] full = new Object[args.length + 1];
            full[0] = state;
            for (int i = 0; i < args.length; i++) {
                full[i + 1] = args[i] instanceof String s ? a.allocateFrom(s) : args[i] instanceof byte[] b ? a.allocateFrom(ValueLayout.JAVA_BYTE, b) : args[i];
            }
            long r = ((Number) f.invokeWithArguments(full)).longValue();
            if (r == -1) throw new IOException(what + ": errno " + (int) ERRNO.get(state, 0L));
            return r;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void mkfifo(String path, int mode) throws IOException {
        call("mkfifo " + path, MKFIFO, path, mode);
    }

    /** Writes all of data to the FIFO without waiting for a reader (ENXIO when there is none). */
    public static void writeFifoNonBlocking(String path, byte[] data) throws IOException {
        int fd = (int) call("open " + path, OPEN, path, O_WRONLY | O_NONBLOCK);
        try {
            int off = 0;
            while (off < data.length) {
                byte[] rest = java.util.Arrays.copyOfRange(data, off, data.length);
                off += (int) call("write " + path, WRITE, fd, rest, (long) rest.length);
            }
        } finally {
            call("close", CLOSE, fd);
        }
    }

    public static int geteuid() {
        try {
            return (int) call("geteuid", GETEUID);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops to uid/gid for the whole process: supplementary groups, then group, then user. */
    public static void dropPrivileges(int uid, int gid) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment groups = a.allocateFrom(INT, gid);
            call("setgroups", SETGROUPS, 1L, groups);
        }
        call("setgid " + gid, SETGID, gid);
        call("setuid " + uid, SETUID, uid);
    }
}
