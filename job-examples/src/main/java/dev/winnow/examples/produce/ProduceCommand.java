package dev.winnow.examples.produce;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Writes records to Kafka the way the jobs read them, so the Kafka path can be driven by hand. It sits in
 * job-examples, beside the jobs it feeds: the Avro records live in connectors, the camera parsing in
 * job-examples, and the {@code winnow} command line (model-tools) depends on neither.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, subcommands = {ProduceFrames.class, ProduceReadings.class},
        description = "Write records to Kafka as the jobs read them: 'produce frames' puts a camera's frames on a topic, 'produce readings' N sensors' readings.")
public final class ProduceCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
