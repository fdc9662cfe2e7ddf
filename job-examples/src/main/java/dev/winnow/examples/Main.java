package dev.winnow.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The example jobs. Locally ({@code java -jar}) each runs on an embedded MiniCluster with the bundled
 * model and sample data; with {@code flink run} the same jar runs on a cluster.
 */
@Command(name = "winnow-examples", mixinStandardHelpOptions = true,
        subcommands = {SecurityRetentionJob.class, StadiumStaffingJob.class, SensorEventsJob.class, SensorStatesJob.class, CentralTeacherJob.class,
                dev.winnow.examples.cascade.CascadeEval.class, dev.winnow.examples.adapt.AdaptWorker.class, dev.winnow.examples.produce.ProduceCommand.class},
        description = "Winnow example jobs: security-retention, stadium-staffing, sensor-events, sensor-states, central-teacher; cascade-eval measures the edge cascade; adapt-worker adapts the cameras central-teacher flags; produce frames puts a camera's frames on a Kafka topic.")
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
