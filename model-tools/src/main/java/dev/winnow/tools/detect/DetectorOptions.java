package dev.winnow.tools.detect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options the {@code winnow detector} commands share, as picocli mixins. */
final class DetectorOptions {
    private DetectorOptions() {}

    /** Where the decoded footage and the teacher's labels are, and the manifest that says what each source is for. */
    static final class Data {
        @Option(names = "--data", defaultValue = "data/detector",
                description = "decoded frames (<clip>/native/NNNN.png) and teacher labels (<clip>/teacher.csv) (default: ${DEFAULT-VALUE})")
        Path data;
        @Option(names = "--manifest", defaultValue = "model-tools/detector/training-sources.csv",
                description = "training sources: source,clip,package,version,file,frames,role,people (default: ${DEFAULT-VALUE})")
        Path manifest;

        /** Clips with a source of {@code role} in the manifest, in its order, without {@code except}. */
        List<String> clips(String role, String... except) throws IOException {
            List<String> out = new ArrayList<>();
            for (HeldOutEvaluation.Source s : HeldOutEvaluation.sources(manifest, role))
                if (!out.contains(s.clip()) && !List.of(except).contains(s.clip())) out.add(s.clip());
            return out;
        }
    }

    /** The student artifact a command reads. */
    static final class Student {
        @Option(names = "--model", defaultValue = "model-tools/detector/person-detector-int8.wnm", description = "student artifact (default: ${DEFAULT-VALUE})")
        Path model;
    }
}
