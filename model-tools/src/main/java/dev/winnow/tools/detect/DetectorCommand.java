package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.TrailingMedian;
import dev.winnow.tools.teacher.FrameCsvOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code winnow detector}: the person-detector student. */
@Command(name = "detector", mixinStandardHelpOptions = true, subcommands = {DetectorTrainCommand.class, DetectorCommand.Score.class, DetectorCommand.Evaluate.class, DetectorAdaptCommand.class},
        description = "The person-detector student: score footage with it, evaluate it against the teacher on held-out videos, adapt it to a camera.")
public final class DetectorCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code winnow detector score}: one row per frame of a directory, video or stream,
     * {@code file,count,score_max,present}, the frame converted as the Flink frame operator does
     * (grey by the Rec. 601 luma weights, bilinear with half-pixel centres, stretched to the model's input).
     */
    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Score every frame with a student: file,count,score_max,present (present = count >= 1; score_max is the best anchor score, under the threshold too, from artifacts that output it).")
    static final class Score implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin DetectorOptions.Student student;
        @Mixin FrameCsvOptions io;

        @Override
        public Integer call() throws Exception {
            Path model = student.model;
            Model m = Model.load(model);
            int[] in = m.input(0).shape();
            if (in.length != 3 || in[2] != 1) throw new IllegalArgumentException(model + " is not a grey-frame detector (input " + java.util.Arrays.toString(in) + ")");
            PersonDetector det = new PersonDetector(m);
            float[] x = new float[in[0] * in[1]];
            long n = 0, present = 0, skipped = 0, t0 = System.nanoTime();
            var err = spec.commandLine().getErr();
            try (java.io.PrintWriter csv = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(io.out));
                 dev.winnow.tools.teacher.FrameStream s = io.open()) {
                csv.println("file,count,score_max,present");
                for (dev.winnow.tools.teacher.FrameStream.Item it; (it = s.next()) != null; ) {
                    if (it.error() != null) {
                        skipped++;
                        err.println("skipped: " + it.error());
                        continue;
                    }
                    GreyInput.fill(it.picture(), in[1], in[0], x);
                    det.run(x);
                    n++;
                    if (det.count() > 0) present++;
                    csv.printf(java.util.Locale.ROOT, "%s,%d,%.4f,%d%n", it.name(), det.count(), det.score(), det.count() > 0 ? 1 : 0);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            var o = spec.commandLine().getOut();
            o.printf(java.util.Locale.ROOT, "| frames | skipped | with people | kept | frames/s |%n|---|---|---|---|---|%n| %d | %d | %d | %.1f%% | %.1f |%n",
                    n, skipped, present, n == 0 ? 0 : 100.0 * present / n, n / Math.max(secs, 1e-9));
            o.printf("wrote %s%n", io.out);
            return 0;
        }
    }

    /** {@code winnow detector evaluate}: per held-out video, the student beside the teacher. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"The student against the teacher on the held-out videos of the training manifest, and on vtest's hand-counted frames.",
                    "Needs scripts/data/fetch-footage.sh's frames and the teacher's labels (data/detector/<clip>/teacher.csv)."})
    static final class Evaluate implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin DetectorOptions.Student student;
        @Mixin DetectorOptions.Data data;
        @Option(names = "--role", defaultValue = "holdout", description = "which sources: holdout or validation (default: ${DEFAULT-VALUE})") String role;
        @Option(names = "--hand-counts", defaultValue = "model-tools/detector/holdout-labels.csv", description = "vtest hand counts, frame,count (default: ${DEFAULT-VALUE})") Path hand;
        @Option(names = "--step", defaultValue = "1", description = "every n-th frame (default: ${DEFAULT-VALUE})") int step;
        @Option(names = "--count-frames", defaultValue = "17", description = {"the hand counts also against the median of each frame's last N counts,",
                "as stadium-staffing counts (1 to 255; default: ${DEFAULT-VALUE})"}) int countFrames;

        @Override
        public Integer call() throws Exception {
            String countRefusal = TrailingMedian.refusal(countFrames);
            if (countRefusal != null) throw new CommandLine.ParameterException(spec.commandLine(), "--count-frames " + countFrames + ": " + countRefusal);
            Path model = student.model;
            Model m = Model.load(model);
            List<HeldOutEvaluation.Row> rows = HeldOutEvaluation.evaluate(m, data.data, HeldOutEvaluation.sources(data.manifest, role),
                    DetectorData.readCounts(hand), Math.max(1, step), countFrames);
            spec.commandLine().getOut().printf("%s (%s) on the %s videos%n", m.name(), model, role);
            spec.commandLine().getOut().print(HeldOutEvaluation.table(rows));
            return 0;
        }
    }
}
