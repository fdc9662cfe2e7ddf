package dev.winnow.tools.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code winnow} in the test's JVM as {@link WinnowCli#main} would, keeping its exit code, stdout and stderr. */
public final class CliRun {
    private CliRun() {}

    public record Result(int code, String out, String err) {}

    public static Result winnow(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = WinnowCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }
}
