package dev.winnow.tools.teacher;

import dev.winnow.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code winnow teacher import}: the CenterNet teacher's TF.js files, as {@code scripts/teacher/fetch-model.sh}
 * fetched them, into the artifact the jobs' cascade ({@code --teacher}) and {@code central-teacher} read.
 * {@code teacher label} does the same on first use; a job does not, so a deployment imports once.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import the teacher (CenterNet, TF.js files from scripts/teacher/fetch-model.sh) into a Winnow artifact,",
                "what `teacher label` does on first use; the jobs' --teacher and central-teacher read it."})
public final class TeacherImportCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Option(names = "--from", description = "the TF.js files (default: models/teacher/centernet)") Path from = TeacherModels.SOURCE;
    @Option(names = {"-o", "--out"}, description = "artifact to write, atomically (default: models/teacher/centernet.wnm)") Path out = TeacherModels.DEFAULT;

    @Override
    public Integer call() throws Exception {
        TeacherModels.importTo(from, out);   // refuses a folder without the TF.js files, one line
        Model m = Model.load(out);   // read back: what the jobs will load
        spec.commandLine().getOut().printf("teacher import: %s (%,d bytes, input %s)%n", out, Files.size(out),
                java.util.Arrays.toString(m.inputSpec().shape()));
        return 0;
    }
}
