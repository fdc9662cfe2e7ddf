package dev.winnow.tools.eval;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a loaded artifact through the runtime over a data set: accuracy, per-class recall, confusion matrix. */
public final class Evaluator {
    private Evaluator() {}

    public record Evaluation(int rows, int correctTotal, int[] correct, int[] total, int[][] confusion, List<String> classNames, int[] predictions) {
        public double accuracy() { return rows == 0 ? 0 : (double) correctTotal / rows; }

        /** Class, rows, correct, recall, and the class it is most often mistaken for. */
        public String perClassTable() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %6s %7s %8s  %s%n", "class", "rows", "correct", "recall", "most confused with"));
            for (int c = 0; c < total.length; c++) {
                int worst = -1;
                for (int p = 0; p < total.length; p++) if (p != c && confusion[c][p] > 0 && (worst < 0 || confusion[c][p] > confusion[c][worst])) worst = p;
                sb.append(String.format(Locale.ROOT, "%-14s %6d %7d %7.2f%%  %s%n", clip(classNames.get(c)), total[c], correct[c],
                        total[c] == 0 ? 0 : 100.0 * correct[c] / total[c], worst < 0 ? "-" : classNames.get(worst) + " (" + confusion[c][worst] + ")"));
            }
            sb.append(String.format(Locale.ROOT, "%-14s %6d %7d %7.2f%%%n", "all", rows, correctTotal, 100 * accuracy()));
            return sb.toString();
        }

        private static String clip(String s) {
            return s.length() <= 14 ? s : s.substring(0, 13) + "…";
        }
    }

    public static Evaluation evaluate(Model model, Dataset d, int threads) {
        int classes = model.output(0).elementCount();
        if (model.input(0).elementCount() != d.features()) {
            throw new IllegalArgumentException("model " + model.name() + " takes " + model.input(0).elementCount() + " features, data set " + d.name() + " has " + d.features());
        }
        int[] pred = new int[d.size()];
        int parts = Math.max(1, Math.min(threads, 8));
        Runnable[] jobs = new Runnable[parts];
        for (int p = 0; p < parts; p++) {
            final int from = (int) ((long) d.size() * p / parts), to = (int) ((long) d.size() * (p + 1) / parts);
            jobs[p] = () -> {
                Interpreter it = model.newInterpreter();
                float[] out = new float[classes];
                for (int i = from; i < to; i++) {
                    it.setInput(0, d.x(), d.offset(i));
                    it.invoke();
                    it.getOutput(0, out, 0);
                    int best = 0;
                    for (int l = 1; l < classes; l++) if (out[l] > out[best]) best = l;
                    pred[i] = best;
                }
            };
        }
        if (parts == 1) {
            jobs[0].run();
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(parts);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (Runnable j : jobs) fs.add(pool.submit(j));
                for (Future<?> f : fs) f.get();
            } catch (Exception e) {
                throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
            } finally {
                pool.shutdownNow();
            }
        }
        int L = Math.max(classes, d.classes());
        int[] correct = new int[L], total = new int[L];
        int[][] conf = new int[L][L];
        int ok = 0;
        for (int i = 0; i < d.size(); i++) {
            int y = d.label(i);
            total[y]++;
            conf[y][pred[i]]++;
            if (pred[i] == y) {
                correct[y]++;
                ok++;
            }
        }
        List<String> names = new ArrayList<>(d.classNames());
        for (int c = names.size(); c < L; c++) names.add("class " + c);
        return new Evaluation(d.size(), ok, correct, total, conf, names, pred);
    }
}
