package dev.winnow.tools.cli;

import dev.winnow.runtime.Model;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.eval.Evaluator;
import dev.winnow.tools.eval.Measured;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow eval --data letter model.wnm}: test accuracy through the runtime, per class, with size, MACs and peak RAM. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate an artifact on a data set's test split: accuracy, per-class table, size, MACs, peak RAM.")
final class EvalCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(description = "artifact (.wnm)") Path file;
    @Mixin DataOptions data = new DataOptions();
    @Option(names = "--threads", description = "evaluation threads (default: available processors)") Integer threads;
    @Option(names = "--no-per-class", description = "only the summary row") boolean noPerClass;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        byte[] bytes = Files.readAllBytes(file);
        Model m = Model.load(bytes);   // an invalid artifact: exit 3 (Exits)
        Dataset test = data.load().test();
        int th = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Evaluator.Evaluation ev = Evaluator.evaluate(m, test, th);
        if (!noPerClass) o.print(ev.perClassTable());
        o.print(Measured.table(List.of(new Measured(m.name(), bytes.length, m.report().parameters(), m.report().macs(), m.report().arenaBytes(),
                ev.accuracy(), m.family() + ", " + test.size() + " " + test.name() + " test rows"))));
        return 0;
    }
}
