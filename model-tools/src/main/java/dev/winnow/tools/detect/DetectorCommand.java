package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code winnow detector}: the person-detector student. */
@Command(name = "detector", mixinStandardHelpOptions = true, subcommands = DetectorCommand.Evaluate.class,
        description = "The person-detector student: evaluate it against the teacher on held-out videos.")
public final class DetectorCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code winnow detector evaluate}: per held-out video, the student beside the teacher. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"The student against the teacher on the held-out videos of the training manifest, and on vtest's hand-counted frames.",
                    "Needs scripts/data/fetch-footage.sh's frames and the teacher's labels (data/detector/<clip>/teacher.csv)."})
    static final class Evaluate implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", defaultValue = "model-tools/detector/person-detector-int8.wnm", description = "student artifact (default: ${DEFAULT-VALUE})") Path model;
        @Option(names = "--data", defaultValue = "data/detector", description = "decoded frames and teacher labels (default: ${DEFAULT-VALUE})") Path data;
        @Option(names = "--manifest", defaultValue = "model-tools/detector/training-sources.csv", description = "training sources (default: ${DEFAULT-VALUE})") Path manifest;
        @Option(names = "--role", defaultValue = "holdout", description = "which sources: holdout or validation (default: ${DEFAULT-VALUE})") String role;
        @Option(names = "--hand-counts", defaultValue = "model-tools/detector/holdout-labels.csv", description = "vtest hand counts, frame,count (default: ${DEFAULT-VALUE})") Path hand;
        @Option(names = "--step", defaultValue = "1", description = "every n-th frame (default: ${DEFAULT-VALUE})") int step;

        @Override
        public Integer call() throws Exception {
            Model m = Model.load(model);
            List<HeldOutEvaluation.Row> rows = HeldOutEvaluation.evaluate(m, data, HeldOutEvaluation.sources(manifest, role),
                    DetectorData.readCounts(hand), Math.max(1, step));
            spec.commandLine().getOut().printf("%s (%s) on the %s videos%n", m.name(), model, role);
            spec.commandLine().getOut().print(HeldOutEvaluation.table(rows));
            return 0;
        }
    }
}
