package dev.winnow.tools.cli;

import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.Model;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.eval.Evaluator;
import dev.winnow.tools.eval.Measured;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.nn.OptimiserOptions;
import dev.winnow.tools.train.BonsaiModel;
import dev.winnow.tools.train.Loss;
import dev.winnow.tools.train.ModelExport;
import dev.winnow.tools.train.ProtoNnModel;
import dev.winnow.tools.train.TrainableModel;
import dev.winnow.tools.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow train bonsai|protonn}: fit a model on a data set and write its float32 artifact. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a Bonsai or ProtoNN model (Adam, mini-batches, IHT) and write a float32 .wnm artifact.")
final class TrainCommand implements Callable<Integer> {
    enum Family { bonsai, protonn }

    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "family: ${COMPLETION-CANDIDATES}") Family family;
    @Mixin DataOptions data = new DataOptions();
    @Mixin OptimiserOptions optimiser = OptimiserOptions.defaults().epochs(30).batch(64).lr(0.01).seed(1)
            .threads(Runtime.getRuntime().availableProcessors());
    @Option(names = {"-o", "--out"}, required = true, description = "artifact to write") Path out;
    @Option(names = "--name", description = "model name (default: <data>-<family>)") String name;
    @Option(names = "--loss", defaultValue = "CROSS_ENTROPY", description = "CROSS_ENTROPY or HINGE") Loss loss;
    @Option(names = "--projection", description = "projection dimension D̂ (default: bonsai 28, protonn 16)") Integer projection;
    @Option(names = "--l2", defaultValue = "1e-5", description = "L2 weight on every matrix") double l2;
    // Bonsai
    @Option(names = "--depth", defaultValue = "3", description = "bonsai: tree depth") int depth;
    @Option(names = "--sigma", defaultValue = "1.0", description = "bonsai: σ in tanh(σ V x̂)") double sigma;
    @Option(names = "--sigma-i", defaultValue = "256", description = "bonsai: final σ_I of the path annealing (from 1)") double sigmaI;
    @Option(names = "--keep-z", defaultValue = "1", description = "fraction of Z kept by IHT (bonsai Z; protonn Z)") double keepZ;
    @Option(names = "--keep-w", defaultValue = "1", description = "fraction of W kept by IHT") double keepW;
    @Option(names = "--keep-v", defaultValue = "1", description = "bonsai: fraction of V kept") double keepV;
    @Option(names = "--keep-theta", defaultValue = "1", description = "bonsai: fraction of θ kept") double keepTheta;
    @Option(names = "--keep-b", defaultValue = "1", description = "protonn: fraction of B kept") double keepB;
    // ProtoNN
    @Option(names = "--prototypes", defaultValue = "260", description = "protonn: number of prototypes m") int prototypes;
    @Option(names = "--gamma-scale", defaultValue = "1.0", description = "protonn: γ = scale / median distance to the nearest prototype (EdgeML: 2.5)") double gammaScale;
    // Distillation
    @Option(names = "--teacher", description = "distil from this artifact's scores (any family the runtime loads)") Path teacher;
    @Option(names = "--temperature", defaultValue = "4", description = "with --teacher: softmax temperature T of the soft targets (default ${DEFAULT-VALUE})") double temperature;
    @Option(names = "--strict", description = "exit 10 (after writing the artifact) when test accuracy is near chance") boolean strict;
    @Option(names = "--alpha", defaultValue = "0.7", description = "with --teacher: weight of the soft (teacher) loss; 1 − alpha goes to the labels (default ${DEFAULT-VALUE})") double alpha;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Dataset.Split s = data.load();
        optimiser.check(spec.commandLine());
        int th = optimiser.threads;
        long seed = optimiser.seed;
        o.printf(Locale.ROOT, "data %s: train %d rows, test %d rows, %d features, %d classes; %d threads%n", data.data, s.train().size(), s.test().size(),
                s.train().features(), s.train().classes(), th);
        TrainableModel m;
        String hyper;
        if (family == Family.bonsai) {
            int p = projection != null ? projection : 28;
            BonsaiModel.Config c = BonsaiModel.Config.defaults(p, depth).sigma(sigma).loss(loss).l2(l2).sigmaI(1, sigmaI).sparsity(keepZ, keepW, keepV, keepTheta);
            m = BonsaiModel.init(s.train(), c, seed);
            hyper = String.format(Locale.ROOT, "projection %d, depth %d, sigma %s, sigmaI 1->%s, keep Z %s W %s V %s theta %s", p, depth, sigma, sigmaI, keepZ, keepW, keepV, keepTheta);
        } else {
            int p = projection != null ? projection : 16;
            ProtoNnModel.Config c = ProtoNnModel.Config.defaults(p, prototypes).gammaScale(gammaScale).loss(loss).l2(l2 == 1e-5 ? 1e-6 : l2).sparsity(keepW, keepB, keepZ);
            m = ProtoNnModel.init(s.train(), c, seed);
            hyper = String.format(Locale.ROOT, "projection %d, prototypes %d, gamma %.4f, keep W %s B %s Z %s", p, prototypes, ((ProtoNnModel) m).gamma(), keepW, keepB, keepZ);
        }
        if (teacher != null) {
            Model t = Model.load(teacher);
            float[] scores = teacherScores(t, s.train());
            m.setSoftTargets(new dev.winnow.tools.train.SoftTargets(s.train(), scores, s.train().classes(), temperature, alpha));
            double tAcc = Evaluator.evaluate(t, s.test(), th).accuracy();
            hyper += String.format(Locale.ROOT, ", distilled from %s (T %s, alpha %s)", teacher.getFileName(), temperature, alpha);
            o.printf(Locale.ROOT, "teacher %s: %s, %,d B, %,d MACs, test accuracy %.2f%%; soft targets at T = %s, alpha = %s%n", teacher.getFileName(), t.family(),
                    Files.size(teacher), t.report().macs(), 100 * tAcc, temperature, alpha);
        }
        o.println(family + ": " + hyper);
        o.flush();
        Trainer.Options opts = new Trainer.Options(optimiser.epochs, optimiser.batch, optimiser.lr, seed, th, s.test(), line -> {
            o.println(line);
            o.flush();
        });
        Trainer.History h = Trainer.train(m, s.train(), opts);
        double trainerAcc = Trainer.accuracy(m, s.test(), th);
        String n = name != null ? name : data.data + "-" + family;
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String command = "winnow " + (args.isEmpty() || !args.get(0).equals("train") ? "train " : "") + String.join(" ", args);
        ModelExport.Info info = new ModelExport.Info(n, data.data, s.train().classNames(), null, null)
                .provenance("seed", seed).provenance("command", command).provenance("hyperparameters", hyper)
                .metric("accuracy", trainerAcc).metric("testRows", s.test().size());
        byte[] bytes = ModelExport.toArtifact(m, FamilyArtifacts.encodings(), info);
        Files.write(out, bytes);
        Model model = Model.load(bytes);
        Evaluator.Evaluation ev = Evaluator.evaluate(model, s.test(), th);
        int agree = agreement(m, s.test(), ev.predictions());
        o.print(Measured.table(List.of(new Measured("trained (float32)", bytes.length, model.report().parameters(), model.report().macs(),
                model.report().arenaBytes(), ev.accuracy(), String.format(Locale.ROOT, "%.1f s training", h.seconds())))));
        o.printf(Locale.ROOT, "trainer forward %.2f%%, runtime %.2f%%, same prediction on %d/%d test rows%n", 100 * trainerAcc, 100 * ev.accuracy(), agree, s.test().size());
        o.println("wrote " + out);
        o.flush();
        String warning = Quality.nearChance(family + " on " + data.data, ev.accuracy(), s.train(), s.test());
        if (warning == null) return Exits.OK;
        spec.commandLine().getErr().println(warning);
        spec.commandLine().getErr().flush();
        return strict ? Exits.QUALITY : Exits.OK;
    }

    /** The teacher's raw output scores for every row of {@code d}, [rows][classes]. */
    static float[] teacherScores(Model t, Dataset d) {
        int classes = t.output(0).elementCount();
        if (t.input(0).elementCount() != d.features()) throw new IllegalArgumentException("teacher takes " + t.input(0).elementCount() + " features, the data has " + d.features());
        if (classes != d.classes()) throw new IllegalArgumentException("teacher has " + classes + " outputs, the data " + d.classes() + " classes");
        float[] out = new float[d.size() * classes];
        dev.winnow.runtime.graph.Interpreter it = t.newInterpreter();
        for (int i = 0; i < d.size(); i++) {
            it.setInput(0, d.x(), d.offset(i));
            it.invoke();
            it.getOutput(0, out, i * classes);
        }
        return out;
    }

    static int agreement(TrainableModel m, Dataset d, int[] runtimePred) {
        Object sc = m.newScratch();
        double[] buf = new double[m.classes()];
        int same = 0;
        for (int i = 0; i < d.size(); i++) if (m.predict(d.x(), d.offset(i), sc, buf) == runtimePred[i]) same++;
        return same;
    }
}
