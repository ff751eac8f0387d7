package dev.kemi.runtime.cli;

import dev.kemi.runtime.core.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.IVersionProvider;

/** `kemi version`. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
final class VersionCommand implements Runnable {
    @Spec
    CommandSpec spec;


    @Override
    public void run() {
        for (String line : Provider.lines()) spec.commandLine().getOut().println(line);
    }

    /** Also behind `kemi --version`. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }

        static String[] lines() {
            return new String[] {
                Version.NAME + " " + Version.VERSION + " (follows Kamailio " + Version.KAMAILIO + ")",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
