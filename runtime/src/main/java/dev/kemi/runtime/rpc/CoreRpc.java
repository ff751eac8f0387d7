package dev.kemi.runtime.rpc;

import dev.kemi.runtime.core.Version;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** core.version and core.uptime, shaped as Kamailio answers them. */
public final class CoreRpc {
    /** C's ctime() without its newline: "Sat Nov 28 16:51:46 2026". */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
    private final Instant upSince;

    public CoreRpc(Instant upSince) {
        this.upSince = upSince;
    }

    public void register(RpcRegistry registry) {
        registry.register("core.version", p -> version());
        registry.register("core.uptime", p -> uptime(Instant.now()));
    }

    /** As Kamailio's "kamailio 5.6.3 (x86_64/linux)". */
    static String version() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64")) arch = "x86_64";
        return Version.NAME + " " + Version.VERSION + " (" + arch + "/" + System.getProperty("os.name").toLowerCase(Locale.ROOT)
                + ") kamailio " + Version.KAMAILIO + " compatible";
    }

    Map<String, Object> uptime(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", ctime(now));
        m.put("up_since", ctime(upSince));
        m.put("uptime", now.getEpochSecond() - upSince.getEpochSecond());
        return m;
    }

    private static String ctime(Instant t) {
        return CTIME.format(t.atZone(ZoneId.systemDefault()));
    }
}
