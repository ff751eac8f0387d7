package dev.kemi.runtime.rpc;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Set;

/**
 * Mode and owner of control-socket and FIFO files. A socket is bound under a temporary name and
 * renamed into place once its mode is set, so that no other user can reach it meanwhile (Kamailio
 * chmods after binding, leaving a window).
 */
public final class SocketFiles {
    private SocketFiles() {}

    /** The temporary name to bind before {@link #publish}. */
    public static Path staging(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    /** Removes a stale file at target (a socket left by a previous run), as Kamailio does. */
    public static void clear(Path target) throws IOException {
        Files.deleteIfExists(target);
        Files.deleteIfExists(staging(target));
    }

    /**
     * Applies mode, user and group to the staged file and renames it to target.
     *
     * @param user  null keeps the owner
     * @param group null keeps the group
     */
    public static void publish(Path staged, Path target, int mode, String user, String group) throws IOException {
        apply(staged, mode, user, group);
        if (staged.equals(target)) return;
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void apply(Path file, int mode, String user, String group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        view.setPermissions(permissions(mode));
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        if (user != null && !user.isEmpty()) view.setOwner(users.lookupPrincipalByName(user));
        if (group != null && !group.isEmpty()) view.setGroup(users.lookupPrincipalByGroupName(group));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) if ((mode & (1 << i)) != 0) out.add(bits[i]);
        return out;
    }
}
