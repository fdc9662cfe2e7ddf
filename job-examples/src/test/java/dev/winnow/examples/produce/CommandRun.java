package dev.winnow.examples.produce;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import picocli.CommandLine;

/** One run of a {@code produce} command, with what it printed on each stream and its exit code. */
record CommandRun(int exit, String out, String err) {
    /** Runs the command {@code make} builds for the two streams, as the command line would. */
    static CommandRun of(BiFunction<PrintStream, PrintStream, Object> make, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cl = new CommandLine(make.apply(o, e));
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int exit = cl.execute(args);
        return new CommandRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
