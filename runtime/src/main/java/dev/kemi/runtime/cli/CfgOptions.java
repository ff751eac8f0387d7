package dev.kemi.runtime.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** -f CFG and -A NAME, shared by the subcommands that load a cfg (as kamailio's own options). */
final class CfgOptions {
    @Option(names = "-f", paramLabel = "CFG", required = true, description = "Configuration file (kamailio.cfg syntax).")
    Path file;

    @Option(names = "-A", paramLabel = "NAME[=VALUE]", description = "Define NAME for #!ifdef in the cfg, as `kamailio -A`. Repeatable.")
    List<String> defines = new ArrayList<>();

    Set<String> defineSet() {
        return new LinkedHashSet<>(defines);
    }
}
