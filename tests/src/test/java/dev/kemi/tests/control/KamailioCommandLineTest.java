package dev.kemi.tests.control;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `kemi run` with Kamailio's command line (the launcher, as a systemd unit would start it):
 * Debian's unit arguments, detaching when it asks for a pid file, -c, user/group and chroot.
 */
class KamailioCommandLineTest {
    private static final Path ROOT = Path.of(System.getProperty("kemi.root", "..")).toAbsolutePath().normalize();
    private static final String CFG = """
            #!KAMAILIO
            children=1
            listen=udp:127.0.16.3:{port}
            listen=tcp:127.0.16.3:{port}
            loadmodule "sl.so"
            loadmodule "ctl.so"
            {extra}
            request_route {
                sl_send_reply("404", "Not here");
            }
            """;
    private Path dir;
    private final List<Long> started = new ArrayList<>();

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory("kemi-cmdline");
    }

    @AfterEach
    void stop() {
        for (long pid : started) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    private Path cfg(int port, String extra) throws IOException {
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, CFG.replace("{port}", Integer.toString(port)).replace("{extra}", extra));
        return cfg;
    }

    /** Runs the launcher to its end (it detaches or fails), returning exit code and output. */
    private Result launch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("kemi").toString()));
        cmd.addAll(List.of(args));
        // a file, not a pipe: the detached proxy keeps its output open
        Path log = dir.resolve("launcher.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "launcher did not return");
        return new Result(p.exitValue(), Files.readString(log));
    }

    private record Result(int code, String out) {}

    @Test
    void debianUnitArgumentsDetachAndWriteThePidFile() throws Exception {
        Path pid = dir.resolve("kamailio.pid");
        Result r = launch("run", "-P", pid.toString(), "-f", cfg(15070, "").toString(), "-m", "64", "-M", "8", "-Y", dir.toString());
        assertEquals(0, r.code(), r.out());
        long p = Long.parseLong(Files.readString(pid).strip());
        started.add(p);
        ProcessHandle h = ProcessHandle.of(p).orElseThrow();
        assertTrue(h.isAlive());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("kamailio_ctl"))));
        Peers.require("kamcmd");
        assertTrue(Peers.kamcmd(dir.resolve("kamailio_ctl"), "core.version").contains("kamailio 5.6.3"));
        h.destroy(); // SIGTERM, as systemctl stop
        h.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(pid), "pid file removed at exit");
        assertFalse(Files.exists(dir.resolve("kamailio_ctl")), "ctl socket removed at exit");
    }

    @Test
    void dashCChecksAndExits() throws Exception {
        Result r = launch("run", "-c", "-f", cfg(15071, "").toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("config ok"), r.out());
    }

    @Test
    void chrootIsRefusedBeforeAnythingIsBound() throws Exception {
        Result r = launch("run", "-DD", "-E", "-f", cfg(15072, "chroot=\"/tmp\"").toString(), "-Y", dir.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("chroot=/tmp is not supported"), r.out());
        assertFalse(Files.exists(dir.resolve("kamailio_ctl")));
    }

    @Test
    void userAndGroupAreDroppedToAfterBinding() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "needs root");
        Path pid = dir.resolve("kamailio.pid");
        Result r = launch("run", "-P", pid.toString(), "-u", "nobody", "-g", "nogroup", "-f", cfg(15073, "").toString(), "-Y", dir.toString());
        assertEquals(0, r.code(), r.out());
        long p = Long.parseLong(Files.readString(pid).strip());
        started.add(p);
        String status = Files.readString(Path.of("/proc/" + p + "/status"));
        assertTrue(status.contains("\nUid:\t65534\t65534\t65534\t65534\n"), status);
        assertTrue(status.contains("\nGid:\t65534\t65534\t65534\t65534\n"), status);
        Peers.require("kamcmd");
        assertTrue(Peers.kamcmd(dir.resolve("kamailio_ctl"), "core.uptime").contains("uptime: "));
    }

    @Test
    void aMissingRuntimeDirectoryIsAClearError() throws Exception {
        Result r = launch("run", "-DD", "-f", cfg(15074, "").toString(), "-Y", dir.resolve("nope").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("-Y " + dir.resolve("nope") + ": no such directory"), r.out());
    }
}
