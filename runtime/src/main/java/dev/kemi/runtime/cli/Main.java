package dev.kemi.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kemi` command; each subcommand is one class. */
@Command(name = "kemi", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Kemi Proxy: a SIP proxy that runs Kamailio 5.6 routing configs (native cfg, Python, JavaScript).",
        subcommands = {RunCommand.class, CheckCommand.class, ExportsCommand.class, RpcCommand.class, ReloadCommand.class, CompareCommand.class,
                RtpproxyCommand.class, DbCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
