package dev.winnow.tools.cli;

import dev.winnow.registry.cli.Exits;
import dev.winnow.registry.cli.RegistryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** The {@code winnow} command line. */
@Command(name = "winnow", mixinStandardHelpOptions = true, version = "winnow 0.1.0",
        exitCodeListHeading = "%nExit codes (every command):%n", exitCodeList = {
            "0:success", "1:internal error (a bug: the stack trace is printed)", "2:usage error (unknown option, missing argument)",
            "3:invalid artifact, or digest mismatch (corrupt or tampered)", "4:unsigned artifact where a signature is required",
            "5:signed by a key that is not trusted", "6:signature does not verify", "7:input missing or unreadable",
            "8:input malformed (data, model files, frames, keys)", "9:registry refused or unreachable",
            "10:quality check failed (--strict: accuracy near chance or a loss over --max-loss; nothing fits --budget)",
            "11:result refused as worse than its base (nothing written or published)"},
        description = "Tiny models for stream processing: train, compress, evaluate, import, inspect, sign and publish model artifacts.",
        subcommands = {dev.winnow.tools.teacher.TeacherCommand.class, dev.winnow.tools.detect.DetectorCommand.class, TrainCommand.class, dev.winnow.tools.cnn.TrainCnnCommand.class, CompressCommand.class, EvalCommand.class, InspectCommand.class, ImportCommand.class, KeygenCommand.class, SignCommand.class, VerifyCommand.class, ExportCommand.class, RegistryCommand.class, dev.winnow.tools.clips.ClipsCommand.class})
public final class WinnowCli implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // s3:// and hdfs:// registry locations: the endpoint and credentials from $FLINK_CONF_DIR, as the flink command reads them
        dev.winnow.registry.RegistryLocations.configureFromEnvironment();
        CommandLine cl = Exits.install(new CommandLine(new WinnowCli()), WinnowCli::badData);
        int code = cl.execute(args);
        // commands end with print(table) rather than println: flush before exiting or the last table is lost
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(code);
    }

    /** Exceptions that mean the user's input is malformed (exit 8) rather than missing or a bug. */
    static boolean badData(Throwable e) {
        return e instanceof dev.winnow.tools.imports.tfjs.TfjsFormatException || e instanceof dev.winnow.tools.imports.NpyFormatException
                || e instanceof dev.winnow.tools.data.DataFormatException;
    }

    /** A command line with the shared exit codes and error handling, as {@link #main} runs it (for tests and embedding). */
    public static CommandLine commandLine() {
        return Exits.install(new CommandLine(new WinnowCli()), WinnowCli::badData);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
