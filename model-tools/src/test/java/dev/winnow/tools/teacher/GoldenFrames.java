package dev.winnow.tools.teacher;

import dev.winnow.runtime.testing.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The real frames the teacher's golden outputs are made from (test resource {@code teacher/golden-frames.csv}). */
final class GoldenFrames {
    record Frame(String id, Path file, int index, String what) {}

    private GoldenFrames() {}

    static List<Frame> list() throws IOException {
        List<Frame> out = new ArrayList<>();
        try (InputStream in = GoldenFrames.class.getResourceAsStream("/teacher/golden-frames.csv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("id,")) continue;
                String[] f = line.split(",", 4);
                Path file = Path.of(f[1]);
                // a relative path is a frame scripts/data/fetch-footage.sh decoded under the repository
                out.add(new Frame(f[0], file.isAbsolute() ? file : RepoRoot.path().resolve(file), Integer.parseInt(f[2]), f[3]));
            }
        }
        return out;
    }

    /** Decodes the frame: images directly, video frame {@code index} through ffmpeg. */
    static Picture decode(Frame f) throws IOException, InterruptedException {
        if (!Files.isRegularFile(f.file())) throw new IOException(f.file() + " is missing: run scripts/install-deps.sh (Debian opencv-doc, scripts/data/fetch-footage.sh)");
        String name = f.file().getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".avi") && !name.endsWith(".mp4") && !name.endsWith(".mkv")) return FrameFiles.read(f.file());
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-err_detect", "ignore_err", "-i", f.file().toString(),
                "-vf", "select=eq(n\\," + f.index() + ")", "-vsync", "0", "-frames:v", "1", "-f", "image2pipe", "-vcodec", "ppm", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] ppm = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        if (ppm.length == 0) throw new IOException("ffmpeg gave no frame " + f.index() + " of " + f.file());
        return FrameFiles.readPnm(new ByteArrayInputStream(ppm), f.id());
    }
}
