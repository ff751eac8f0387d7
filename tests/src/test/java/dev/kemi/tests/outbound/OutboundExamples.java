package dev.kemi.tests.outbound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kamailio's outbound examples (edge proxy and registrar) as installed by Debian, made runnable
 * on loopback at test time: listen lines on the given address, the registrar's address put in,
 * mpath dropped (the launcher gives the module path), mi_rpc/mi_fifo (gone since Kamailio 5.0,
 * 5.6.3 cannot load them) and stun (not implemented here) dropped, ctl on a socket in the run dir.
 */
final class OutboundExamples {
    static final Path DIR = Path.of("/usr/share/doc/kamailio/examples/outbound");

    private OutboundExamples() {}

    static boolean installed() {
        return Files.isReadable(DIR.resolve("edge.cfg")) && Files.isReadable(DIR.resolve("registrar.cfg"));
    }

    static String edge(String ip, String registrarIp, Path ctl, String extra) throws IOException {
        return derive(DIR.resolve("edge.cfg"), ip, registrarIp, ctl, extra);
    }

    static String registrar(String ip, Path ctl) throws IOException {
        return derive(DIR.resolve("registrar.cfg"), ip, null, ctl, "");
    }

    private static String derive(Path file, String ip, String registrarIp, Path ctl, String extra) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String s = line.strip();
            if (s.startsWith("mpath=") || s.matches("loadmodule \"(mi_rpc|mi_fifo|stun)\\.so\"") || s.startsWith("modparam(\"mi_fifo\"")) continue;
            if (registrarIp != null && s.startsWith("#!substdef \"!REGISTRAR_IP!")) line = "#!substdef \"!REGISTRAR_IP!" + registrarIp + "!g\"";
            if (s.startsWith("####### Modules Section")) {
                out.add("listen=udp:" + ip + ":5060");
                out.add("listen=tcp:" + ip + ":5060");
            }
            out.add(line);
        }
        out.add("modparam(\"ctl\", \"binrpc\", \"unix:" + ctl + "\")");
        out.add(extra);
        return String.join("\n", out) + "\n";
    }
}
