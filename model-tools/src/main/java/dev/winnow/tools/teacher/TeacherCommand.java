package dev.winnow.tools.teacher;

import picocli.CommandLine.Command;

/** {@code winnow teacher}: the general person detector that labels frames for the students. */
@Command(name = "teacher", mixinStandardHelpOptions = true, subcommands = {TeacherLabelCommand.class, TeacherImportCommand.class},
        description = "The general person detector (CenterNet on COCO, run in the JVM) that labels footage.")
public final class TeacherCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
