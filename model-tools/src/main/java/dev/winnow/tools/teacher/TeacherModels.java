package dev.winnow.tools.teacher;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.tools.imports.tfjs.TfjsImporter;
import dev.winnow.tools.imports.tfjs.TfjsModel;
import dev.winnow.tools.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the teacher lives: {@code models/teacher/centernet.wnm} (git-ignored), imported on first use
 * from the TF.js files {@code scripts/teacher/fetch-model.sh} put in {@code models/teacher/centernet/}.
 * {@code WINNOW_TEACHER} names another artifact.
 */
public final class TeacherModels {
    public static final Path DEFAULT = Path.of("models", "teacher", "centernet.wnm");
    public static final Path SOURCE = Path.of("models", "teacher", "centernet");
    /** The graph's detections output; the heatmap and box map stay internal. */
    public static final String DETECTIONS = "tower_0/detections";

    private TeacherModels() {}

    public static Path defaultPath() {
        String env = System.getenv("WINNOW_TEACHER");
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT;
    }

    /** The artifact at {@code wnm}; the default one is imported from {@link #SOURCE} when missing. */
    public static Model load(Path wnm) throws IOException, ModelFormatException {
        if (!Files.exists(wnm) && wnm.equals(DEFAULT)) {
            if (!hasSource(SOURCE)) {
                throw new NoSuchFileException(wnm.toString(), null, "no teacher model: run scripts/teacher/fetch-model.sh, or give --model");
            }
            importTo(SOURCE, wnm);
        }
        return Model.load(wnm);
    }

    /** Whether {@code source} holds the TF.js files fetch-model.sh writes (their graph, centernet.json). */
    private static boolean hasSource(Path source) {
        return Files.isRegularFile(source.resolve("centernet.json"));
    }

    /**
     * Imports the CenterNet TF.js model in {@code source} to {@code wnm}, written atomically;
     * NoSuchFileException, one line, when {@code source} does not hold it.
     */
    public static void importTo(Path source, Path wnm) throws IOException {
        if (!hasSource(source)) {
            throw new NoSuchFileException(source.resolve("centernet.json").toString(), null, "no teacher TF.js model: run scripts/teacher/fetch-model.sh");
        }
        TfjsImporter.Result r = TfjsImporter.translate(TfjsModel.read(source), new TfjsImporter.Options()
                .name("centernet-teacher").outputs(List.of(DETECTIONS))
                .preprocess("fit", "letterbox")
                .metadata("personClass", 0L)
                .metadata("scoreThreshold", 0.35)
                .description("MobileNetV3 CenterNet trained on COCO (@vladmandic/human 3.3.6, MIT), imported from TF.js; "
                        + "detections [100,6] = x1, y1, x2, y2, score, class (0 = person) in 512x512 input pixels"));
        Files.createDirectories(wnm.toAbsolutePath().getParent());
        // the model is not a secret
        AtomicFiles.writeShared(wnm, r.artifact());
    }
}
