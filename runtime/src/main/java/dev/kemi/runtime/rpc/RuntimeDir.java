package dev.kemi.runtime.rpc;

import dev.kemi.runtime.core.ProxyServices;
import java.nio.file.Path;

/** Kamailio's runtime directory: the rundir (run_dir) global or -Y, /run/kamailio by default. */
public final class RuntimeDir {
    public static final Path DEFAULT = Path.of("/run/kamailio");

    private RuntimeDir() {}

    public static Path of(ProxyServices services) {
        String v = services.globalParam("rundir");
        if (v == null) v = services.globalParam("run_dir");
        return v == null || v.isBlank() ? DEFAULT : Path.of(v);
    }
}
