package dev.winnow.tools.cnn;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.ModelReport;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.data.FashionMnist;
import dev.winnow.tools.nn.ClassifierOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs Fashion-MNIST classifiers through the runtime (Model, Interpreter) on the 10,000 test images
 * and prints one row per artifact: accuracy, parameters, MACs, artifact bytes, peak arena RAM and
 * milliseconds per image (one thread).
 * <pre>  java -cp winnow.jar dev.winnow.tools.cnn.FashionEval [--data DIR] model.wnm…</pre>
 */
public final class FashionEval {
    private FashionEval() {}

    /** One evaluated artifact. */
    public record Row(String name, double accuracy, long parameters, long macs, long artifactBytes, long arenaBytes, double msPerImage) {}

    public static Row evaluate(String name, Model m, Dataset test) {
        Interpreter it = m.newInterpreter();
        int n = test.size(), correct = 0;
        float[] out = new float[m.output(0).elementCount()];
        // warm the JIT on a slice, then time the full pass
        for (int i = 0; i < Math.min(n, 500); i++) it.predict(test.row(i), out);
        float[] x = test.x();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            it.setInput(0, x, test.offset(i));
            it.invoke();
            it.getOutput(0, out, 0);
            if (ClassifierOps.argmax(out) == test.label(i)) correct++;
        }
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        ModelReport r = m.report();
        return new Row(name, (double) correct / n, r.parameters(), r.macs(), r.artifactBytes(), r.arenaBytes(), ms);
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-28s %9s %8s %10s %10s %10s %8s", "model", "accuracy", "params", "MACs", "artifact", "peak RAM", "ms/img");
    }

    public static String line(Row r) {
        return String.format(Locale.ROOT, "%-28s %8.2f%% %,8d %,10d %,8d B %,8d B %8.3f", r.name(), 100 * r.accuracy(), r.parameters(), r.macs(),
                r.artifactBytes(), r.arenaBytes(), r.msPerImage());
    }

    public static void main(String[] args) throws Exception {
        Path data = FashionMnist.locate();
        List<Path> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data")) data = Path.of(args[++i]);
            else models.add(Path.of(args[i]));
        }
        if (data == null) throw new IllegalArgumentException("no Fashion-MNIST: install dataset-fashion-mnist or pass --data DIR");
        if (models.isEmpty()) throw new IllegalArgumentException("usage: FashionEval [--data DIR] model.wnm…");
        Dataset test = FashionMnist.load(data, "t10k");
        System.out.println(header());
        for (Path p : models) {
            Model m = Model.load(Files.readAllBytes(p));
            System.out.println(line(evaluate(p.getFileName().toString(), m, test)));
        }
    }
}
