package dev.winnow.examples.produce;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What the {@code produce} subcommands share: their help's layout (options in declaration order, then
 * the exit codes each lists), and the command line they were parsed from, for usage errors and for where
 * they print (its out and err streams: the console, or those a test sets).
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false, exitCodeListHeading = "%nExit codes:%n")
abstract class ProduceSubcommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
