package dev.winnow.tools.teacher;

import dev.winnow.runtime.Model;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code winnow teacher label}: one CSV row per frame, {@code file,count,score_max} and with
 * {@code --boxes} the person boxes in the frame's own pixels. A frame that does not decode is
 * counted and reported as skipped; the run goes on.
 */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = {"Label frames with the teacher: one row per frame, file,count,score_max[,boxes].",
                "Frames are letterboxed into the model's 512x512 input by default (docs/teacher.md compares both fits)."})
public final class TeacherLabelCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Option(names = "--model", description = "teacher artifact (default: models/teacher/centernet.wnm, imported on first use)") Path model;
    @Mixin FrameCsvOptions io;
    @Option(names = "--threshold", defaultValue = "0.35", description = "person score threshold (default ${DEFAULT-VALUE})") float threshold;
    @Option(names = "--boxes", description = "add a boxes column: x1:y1:x2:y2:score joined by ';'") boolean boxes;
    @Option(names = "--fit", defaultValue = "letterbox", description = "letterbox or stretch (default ${DEFAULT-VALUE})") String fit;
    @Option(names = "--limit", defaultValue = "0", description = "stop after this many frames (default: all)") long limit;
    @Option(names = "--threads", description = "worker threads (default: the cores)") Integer threads;

    private record Row(String name, List<PersonTeacher.Box> boxes, String error) {}

    @Override
    public Integer call() throws Exception {
        if (!(threshold > 0 && threshold < 1)) throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be in (0, 1)");
        PersonTeacher.Fit f;
        try {
            f = PersonTeacher.Fit.parse(fit);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fit must be letterbox or stretch, not '" + fit + "'");
        }
        Path path = model != null ? model : TeacherModels.defaultPath();
        Model m = TeacherModels.load(path);
        PersonTeacher teacher = new PersonTeacher(m, f);
        int workers = threads != null ? Math.max(1, threads) : Runtime.getRuntime().availableProcessors();
        ThreadLocal<PersonTeacher.Session> sessions = ThreadLocal.withInitial(teacher::newSession);
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();

        long t0 = System.nanoTime();
        long done = 0, withPeople = 0, people = 0, skipped = 0;
        List<String> skipReasons = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "teacher-worker");
            t.setDaemon(true);
            return t;
        });
        Path abs = io.out.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        try (FrameStream supply = io.open();
             PrintWriter csv = new PrintWriter(Files.newBufferedWriter(io.out))) {
            csv.println(boxes ? "file,count,score_max,boxes" : "file,count,score_max");
            long total = limit > 0 && supply.total() > 0 ? Math.min(limit, supply.total()) : limit > 0 ? limit : supply.total();
            boolean more = true;
            while (more) {
                List<Future<Row>> batch = new ArrayList<>();
                for (int k = 0; k < workers * 2; k++) {
                    if (limit > 0 && done + batch.size() >= limit) { more = false; break; }
                    FrameStream.Item it = supply.next();
                    if (it == null) { more = false; break; }
                    batch.add(pool.submit(() -> it.error() != null ? new Row(it.name(), null, it.error())
                            : new Row(it.name(), sessions.get().detect(it.picture(), threshold), null)));
                }
                for (Future<Row> fr : batch) {
                    Row r;
                    try {
                        r = fr.get();
                    } catch (ExecutionException e) {
                        throw new IOException("labelling failed: " + e.getCause().getMessage(), e.getCause());
                    }
                    done++;
                    if (r.error != null) {
                        skipped++;
                        if (skipReasons.size() < 5) skipReasons.add(r.error);
                        continue;
                    }
                    float max = 0;
                    for (PersonTeacher.Box b : r.boxes) max = Math.max(max, b.score());
                    if (!r.boxes.isEmpty()) withPeople++;
                    people += r.boxes.size();
                    csv.print(csvField(r.name) + "," + r.boxes.size() + "," + String.format(Locale.ROOT, "%.4f", max));
                    if (boxes) csv.print("," + r.boxes.stream().map(PersonTeacher.Box::format).collect(Collectors.joining(";")));
                    csv.println();
                }
                progress(err, done, total, t0);
            }
            if (supply.error() != null) err.println("\nwinnow: " + supply.error());
        } finally {
            pool.shutdownNow();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        err.println();
        for (String s : skipReasons) err.println("skipped: " + s);
        stdout.printf(Locale.ROOT, "| frames | labelled | skipped | with people | people | frames/s | threshold | fit |%n");
        stdout.printf(Locale.ROOT, "|--------|----------|---------|-------------|--------|----------|-----------|-----|%n");
        stdout.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %.2f | %.2f | %s |%n", done, done - skipped, skipped, withPeople, people,
                done / Math.max(secs, 1e-9), threshold, f.name().toLowerCase(Locale.ROOT));
        stdout.printf("wrote %s%n", io.out);
        stdout.flush();
        return done - skipped == 0 && done > 0 ? 1 : 0;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void progress(PrintWriter err, long done, long total, long t0) {
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        if (total > 0) {
            int width = 30, fill = (int) Math.min(width, width * done / total);
            err.printf(Locale.ROOT, "\r[%s%s] %d/%d frames  %.1f frames/s  ", "#".repeat(fill), ".".repeat(width - fill), done, total, rate);
        } else {
            err.printf(Locale.ROOT, "\r%d frames  %.1f frames/s  ", done, rate);
        }
        err.flush();
    }
}
