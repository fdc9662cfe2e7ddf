package dev.winnow.examples.samples;

import dev.winnow.examples.SensorEventsJob;
import dev.winnow.runtime.Model;
import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.eval.Evaluator;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.train.ModelExport;
import dev.winnow.tools.train.ProtoNnModel;
import dev.winnow.tools.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the sensor-events sample model: a ProtoNN on the beaver body-temperature windows, labelled
 * active/inactive. Prints leave-one-beaver-out accuracy (train on one animal, test on the other),
 * then ships the model fitted on the last sensor only ({@code beaver-2}), recorded as provenance
 * {@code trainedOn}, so the job's report can give precision and recall on {@code beaver-1}, which
 * the model never saw. (beaver-1 is active in 6 of its 114 readings, beaver-2 in 62 of 100: a model
 * fitted on beaver-1 alone has seen too few active windows, as the table shows.) Run by {@code scripts/samples/train-sensor-model.sh}.
 */
public final class TrainSensorModel {
    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : "job-examples/samples/sensors/beavers.csv");
        Path out = Path.of(args.length > 1 ? args[1] : "job-examples/src/main/resources/models/beaver-activity.wnm");
        Map<String, List<SensorWindows.Reading>> bySensor = SensorWindows.read(csv);
        List<String> sensors = List.copyOf(bySensor.keySet());
        System.out.println("| train on | test on | train windows | test windows | runtime accuracy |");
        System.out.println("|---|---|---|---|---|");
        for (int held = 0; held < sensors.size(); held++) {
            String test = sensors.get(held);
            List<List<SensorWindows.Reading>> train = sensors.stream().filter(s -> !s.equals(test)).map(bySensor::get).toList();
            Dataset tr = SensorWindows.windows("beavers", train), te = SensorWindows.windows("beavers", List.of(bySensor.get(test)));
            byte[] a = train(tr, te, "beaver-activity", List.of());
            Evaluator.Evaluation ev = Evaluator.evaluate(Model.load(a), te, 1);
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.1f%% |%n", String.join(" ", sensors.stream().filter(s -> !s.equals(test)).toList()), test,
                    tr.size(), te.size(), 100 * ev.accuracy());
        }
        String trainedOn = sensors.get(sensors.size() - 1);
        List<String> heldOut = sensors.subList(0, sensors.size() - 1);
        Dataset tr = SensorWindows.windows("beavers", List.of(bySensor.get(trainedOn)));
        Dataset te = SensorWindows.windows("beavers", heldOut.stream().map(bySensor::get).toList());
        byte[] artifact = train(tr, te, "beaver-activity", List.of(trainedOn));
        Model m = Model.load(artifact);
        Files.createDirectories(out.getParent());
        Files.write(out, artifact);
        System.out.printf(Locale.ROOT, "shipped %s: %d bytes, %d params, %d MACs, %d arena bytes; trained on %s (%d windows), accuracy on held-out %s (%d windows) %.1f%%%n",
                out, artifact.length, m.report().parameters(), m.report().macs(), m.report().arenaBytes(), trainedOn, tr.size(), String.join(" ", heldOut), te.size(),
                100 * Evaluator.evaluate(m, te, 1).accuracy());
    }

    static byte[] train(Dataset train, Dataset validation, String name, List<String> trainedOn) {
        ProtoNnModel.Config c = ProtoNnModel.Config.defaults(4, 8).gammaScale(1.0);
        ProtoNnModel m = ProtoNnModel.init(train, c, 7);
        Trainer.train(m, train, new Trainer.Options(60, 16, 0.02, 7, 1, validation, line -> {}));
        ModelExport.Info info = new ModelExport.Info(name, "R datasets beaver1/beaver2, windows of " + SensorEventsJob.WINDOW + " readings", train.classNames(), null, null)
                .provenance("command", "scripts/samples/train-sensor-model.sh").provenance("seed", 7L)
                .provenance("trainedOn", String.join(",", trainedOn))
                .metric("trainWindows", train.size());
        return ModelExport.toArtifact(m, FamilyArtifacts.encodings(), info);
    }
}
