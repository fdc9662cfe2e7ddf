package dev.winnow.examples.produce;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What the {@code produce} subcommands share: the command line they were parsed from (for usage
 * errors) and where they print, the console or a test's streams.
 */
abstract class ProduceSubcommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    final PrintStream out;
    final PrintStream err;

    ProduceSubcommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }
}
