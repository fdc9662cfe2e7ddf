package dev.winnow.examples.produce;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What the {@code produce} subcommands share: the command line they were parsed from, for usage
 * errors and for where they print (its out and err streams: the console, or those a test sets).
 */
abstract class ProduceSubcommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
