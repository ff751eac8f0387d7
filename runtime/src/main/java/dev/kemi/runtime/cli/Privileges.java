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
 *
 * @param uid the user to become, -1 for none
 * @param gid the group to become, -1 for none
 */
record Privileges(int uid, int gid) {
    /**
     * Resolves the settings before anything is bound.
     *
     * @throws IllegalStateException with the reason when the switch cannot be made
     */
    static Privileges plan(String user, String group, String chroot) {
        if (chroot != null && !chroot.isBlank()) {
            throw new IllegalStateException("chroot=" + chroot + " is not supported: the JVM loads classes and libraries from its "
                    + "installation while it runs; use systemd's RootDirectory= or a container instead");
        }
        boolean hasUser = user != null && !user.isBlank(), hasGroup = group != null && !group.isBlank();
        if (!hasUser && !hasGroup) return new Privileges(-1, -1);
        try {
            int[] pw = hasUser ? passwd(user) : null;
            int gid = hasGroup ? groupId(group) : pw[1];
            int euid = Posix.geteuid();
            if (euid != 0) {
                if (pw != null && euid == pw[0]) return new Privileges(-1, -1); // already that user (e.g. systemd's User=)
                throw new IllegalStateException("cannot switch to " + (hasUser ? "user " + user : "group " + group) + ": not running as root");
            }
            return new Privileges(pw != null ? pw[0] : 0, gid);
        } catch (IOException e) {
            throw new IllegalStateException("cannot switch to user " + user + " group " + group + ": " + e.getMessage(), e);
        }
    }

    /** Switches, if planned. */
    void apply() {
        if (uid < 0) return;
        try {
            Posix.dropPrivileges(uid, gid);
        } catch (IOException e) {
            throw new IllegalStateException("cannot switch to uid " + uid + " gid " + gid + ": " + e.getMessage(), e);
        }
        if (Posix.geteuid() != uid) throw new IllegalStateException("switching to uid " + uid + " did not take effect");
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
