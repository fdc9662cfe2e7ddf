package dev.winnow.examples.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options for the edge cascade ({@code dev.winnow.flink.frames.CascadeScorer}): the teacher asked
 * about frames the student is unsure of, and the difference detector that reuses the last verdict
 * of an unchanged camera. Off unless {@code --teacher}, {@code --teacher-topic} or {@code --difference}
 * is given. The teacher runs in-process ({@code --teacher}) or in the central teacher job
 * ({@link CentralTeacherOptions}, which needs the job's Kafka options: {@link #withKafka}).
 */
public final class CascadeOptions {
    @Option(names = "--teacher", description = "teacher artifact for frames whose student score lies in --teacher-band "
            + "(e.g. models/teacher/centernet.wnm, which `winnow teacher label` imports on first use)")
    Path teacher;

    @Mixin CascadeTuning tuning = new CascadeTuning(0f);

    @Mixin CentralTeacherOptions central = new CentralTeacherOptions();

    /** The job's Kafka options, for the central path. */
    KafkaOptions kafka;

    public boolean enabled() {
        return teacher != null || tuning.difference() > 0 || central.enabled();
    }

    /** These options with the job's Kafka bootstrap and group, which the central path uses. */
    public CascadeOptions withKafka(KafkaOptions kafka) {
        this.kafka = kafka;
        return this;
    }

    /** {@code b} sending its band to the central teacher; refuses an in-process teacher beside it, or no Kafka. */
    public dev.winnow.flink.frames.CascadeScorer centralScorer(dev.winnow.flink.frames.CascadeScorer.Builder b, Path inProcessTeacher) {
        if (inProcessTeacher != null) throw new IllegalArgumentException("--teacher and --teacher-topic: choose the in-process or the central teacher");
        if (kafka == null || kafka.bootstrap == null) throw new IllegalArgumentException("--teacher-topic needs --kafka (or --bootstrap)");
        return b.centralTeacher(low(), high()).build();
    }

    public CentralTeacherOptions central() {
        return central;
    }

    public Path teacher() throws IOException {
        if (teacher != null && !Files.isRegularFile(teacher)) throw new IOException("no teacher artifact " + teacher + " (run `winnow teacher label` once, or `winnow import tfjs`)");
        return teacher;
    }

    public float low() {
        return tuning.band()[0];
    }

    public float high() {
        return tuning.band()[1];
    }

    public float difference() { return tuning.difference(); }
    public int maxReuse() { return tuning.maxReuse(); }
}
