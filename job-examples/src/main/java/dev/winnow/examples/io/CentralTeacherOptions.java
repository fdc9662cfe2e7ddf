package dev.winnow.examples.io;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options for the central path of the edge cascade: with {@code --teacher-topic} the frames whose
 * student score lies in {@code --teacher-band} go to the central teacher job over Kafka (instead of
 * an in-process {@code --teacher}), and the edge waits up to {@code --teacher-timeout} for the answer
 * on {@code --teacher-answers-topic}. Needs {@code --kafka} (alias {@code --bootstrap}).
 */
public final class CentralTeacherOptions {
    @Option(names = "--teacher-topic", description = "send unsure frames (and a sample of dropped ones) to the central teacher job on this topic "
            + "instead of running --teacher in-process")
    String topic;

    @Option(names = "--teacher-answers-topic", defaultValue = "teacher-answers", description = "the central job's verdicts (default: ${DEFAULT-VALUE})")
    String answersTopic;

    @Option(names = "--teacher-timeout", defaultValue = "PT2S", description = "a frame waits this long for the teacher, then its student's verdict stands "
            + "(ISO-8601; default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--drop-sample", defaultValue = "0.01", description = "fraction of the dropped frames also sent, as samples for the central recall estimate "
            + "(default: ${DEFAULT-VALUE})")
    double dropSample;

    @Option(names = "--teacher-max-side", defaultValue = "512", description = "raw frames are downscaled to at most this side before they are sent "
            + "(default: ${DEFAULT-VALUE}, the CenterNet teacher's input)")
    int maxSide;

    public boolean enabled() {
        return topic != null;
    }

    public String topic() { return topic; }
    public String answersTopic() { return answersTopic; }
    public Duration timeout() { return timeout; }
    public double dropSample() { return dropSample; }
    public int maxSide() { return maxSide; }
}
