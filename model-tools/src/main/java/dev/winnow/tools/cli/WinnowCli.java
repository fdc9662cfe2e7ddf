package dev.winnow.tools.cli;

import dev.winnow.registry.cli.RegistryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** The {@code winnow} command line. */
@Command(name = "winnow", mixinStandardHelpOptions = true, version = "winnow 0.1.0",
        description = "Tiny models for stream processing: train, compress, evaluate, import, inspect, sign and publish model artifacts.",
        subcommands = {dev.winnow.tools.teacher.TeacherCommand.class, TrainCommand.class, dev.winnow.tools.cnn.TrainCnnCommand.class, CompressCommand.class, EvalCommand.class, InspectCommand.class, ImportCommand.class, KeygenCommand.class, SignCommand.class, VerifyCommand.class, RegistryCommand.class})
public final class WinnowCli implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new WinnowCli());
        int code = cl.execute(args);
        // commands end with print(table) rather than println: flush before exiting or the last table is lost
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
