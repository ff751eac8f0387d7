package dev.kemi.runtime.cli;

import dev.kemi.runtime.core.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * user= / group= (-u / -g): the whole process drops to them once every socket is bound, as
 * Kamailio does. chroot= is refused: the JVM keeps loading classes and native libraries from its
 * installation while running.
 */
final class Privileges {
    private Privileges() {}

    /** @throws IllegalStateException with the reason when the switch cannot be made */
    static void drop(String user, String group, String chroot) {
        if (chroot != null && !chroot.isBlank()) {
            throw new IllegalStateException("chroot=" + chroot + " is not supported: the JVM loads classes and libraries from its "
                    + "installation while it runs; use systemd's RootDirectory= or a container instead");
        }
        if ((user == null || user.isBlank()) && (group == null || group.isBlank())) return;
        try {
            int[] pw = user == null || user.isBlank() ? null : passwd(user);
            int gid = group == null || group.isBlank() ? (pw != null ? pw[1] : -1) : groupId(group);
            int uid = pw != null ? pw[0] : Posix.geteuid();
            if (Posix.geteuid() != 0) {
                if (pw != null && Posix.geteuid() == uid) return; // already that user (e.g. systemd's User=)
                throw new IllegalStateException("cannot switch to user " + user + (group != null ? " group " + group : "")
                        + ": not running as root");
            }
            Posix.dropPrivileges(uid, gid);
            if (Posix.geteuid() != uid) throw new IllegalStateException("switching to uid " + uid + " did not take effect");
        } catch (IOException e) {
            throw new IllegalStateException("cannot switch to user " + user + " group " + group + ": " + e.getMessage(), e);
        }
    }

    /** {uid, gid} of a user name or number, from /etc/passwd. */
    private static int[] passwd(String user) throws IOException {
        for (String line : lines("/etc/passwd")) {
            String[] f = line.split(":");
            if (f.length > 3 && (f[0].equals(user) || f[2].equals(user))) return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
        }
        throw new IOException("no user " + user + " in /etc/passwd");
    }

    private static int groupId(String group) throws IOException {
        for (String line : lines("/etc/group")) {
            String[] f = line.split(":");
            if (f.length > 2 && (f[0].equals(group) || f[2].equals(group))) return Integer.parseInt(f[2]);
        }
        throw new IOException("no group " + group + " in /etc/group");
    }

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(Path.of(file));
    }
}
