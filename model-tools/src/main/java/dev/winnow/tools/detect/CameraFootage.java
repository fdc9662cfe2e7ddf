package dev.winnow.tools.detect;

import dev.winnow.tools.data.DataFormatException;
import dev.winnow.tools.teacher.FrameFiles;
import dev.winnow.tools.teacher.FrameStream;
import dev.winnow.tools.teacher.PersonTeacher;
import dev.winnow.tools.teacher.Picture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A camera's footage as {@code winnow detector adapt} uses it: frames sampled at a fixed rate, each
 * converted to the student's 320x240 grey input as the Flink frame operator converts it, with the
 * teacher's person boxes (scaled as the frame is stretched). The first {@code minutes} are the
 * adaptation slice, the following {@code validateMinutes} the validation slice; reading stops there,
 * so a live stream is read for exactly that long. A frame that does not decode is counted and skipped.
 */
final class CameraFootage {
    /** One sampled frame: its name, the student's input (grey bytes, 320x240) and the teacher's boxes (x, y, w, h, score). */
    record Frame(String name, byte[] grey, List<float[]> teacher) {
        boolean teacherSeesPeople() { return !teacher.isEmpty(); }
    }

    /** The two slices, and what was skipped. */
    record Slices(List<Frame> adapt, List<Frame> validate, int skipped, String firstSkip, double teacherSeconds) {}

    private record Sampled(String name, double seconds, Picture picture, String error) {}

    private CameraFootage() {}

    /**
     * Reads {@code camera} (a directory of frame files at {@code cameraFps}, a video file or a stream URL) at
     * {@code sampleFps} frames per second, labels every sampled frame with the teacher on {@code threads} threads,
     * and splits at {@code minutes}. Throws when the camera yields no frame, or no readable one, or none for
     * one of the slices.
     */
    static Slices read(String camera, double cameraFps, double sampleFps, double minutes, double validateMinutes,
                       PersonTeacher teacher, float threshold, int threads, PrintWriter err) throws IOException {
        double split = minutes * 60, end = (minutes + validateMinutes) * 60;
        List<Frame> adapt = new ArrayList<>(), validate = new ArrayList<>();
        int[] skipped = {0};
        String[] firstSkip = {null};
        ThreadLocal<PersonTeacher.Session> sessions = ThreadLocal.withInitial(teacher::newSession);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "adapt-teacher");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        long[] sampled = {0};
        try (Source src = open(camera, cameraFps, sampleFps)) {
            boolean more = true;
            while (more) {
                List<Sampled> batch = new ArrayList<>();
                while (batch.size() < 4 * threads) {
                    Sampled s = src.next();
                    if (s == null || s.seconds() >= end) {
                        more = false;
                        break;
                    }
                    batch.add(s);
                }
                List<Future<Frame>> done = new ArrayList<>();
                for (Sampled s : batch) {
                    if (s.error() != null) {
                        skipped[0]++;
                        if (firstSkip[0] == null) firstSkip[0] = s.name() + ": " + s.error();
                        done.add(null);
                        continue;
                    }
                    done.add(pool.submit(() -> label(s, sessions.get(), threshold)));
                }
                for (int i = 0; i < batch.size(); i++) {
                    if (done.get(i) == null) continue;
                    Frame f;
                    try {
                        f = done.get(i).get();
                    } catch (ExecutionException e) {
                        throw new IOException("labelling " + batch.get(i).name() + " failed: " + e.getCause().getMessage(), e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while labelling", e);
                    }
                    (batch.get(i).seconds() < split ? adapt : validate).add(f);
                }
                sampled[0] += batch.size();
                if (err != null) {
                    err.printf(Locale.ROOT, "\rteacher: %d frames sampled, %d adapting, %d validating, %d skipped  ", sampled[0], adapt.size(), validate.size(), skipped[0]);
                    err.flush();
                }
            }
            if (err != null) err.println();
            if (adapt.isEmpty() && validate.isEmpty()) {
                if (src.error() != null) throw new DataFormatException("camera " + camera + " yielded no frames: " + src.error());
                if (skipped[0] > 0) throw new DataFormatException("camera " + camera + " yielded no readable frames: all " + skipped[0] + " were corrupt (" + firstSkip[0] + ")");
                throw new DataFormatException("camera " + camera + " yielded no frames");
            }
        } finally {
            pool.shutdownNow();
        }
        if (adapt.isEmpty()) throw new DataFormatException(String.format(Locale.ROOT, "camera %s: no readable frame in its first %s minutes", camera, minutes));
        if (validate.isEmpty())
            throw new DataFormatException(String.format(Locale.ROOT, "camera %s: no frame after its first %s minutes to validate on (%d frames sampled in all): give a smaller --minutes",
                    camera, minutes, adapt.size() + skipped[0]));
        return new Slices(adapt, validate, skipped[0], firstSkip[0], (System.nanoTime() - t0) / 1e9);
    }

    private static Frame label(Sampled s, PersonTeacher.Session teacher, float threshold) {
        Picture p = s.picture();
        float[] x = new float[DetectorNet.IN_W * DetectorNet.IN_H];
        GreyInput.fill(p, DetectorNet.IN_W, DetectorNet.IN_H, x);
        float sx = (float) DetectorNet.IN_W / p.width(), sy = (float) DetectorNet.IN_H / p.height();
        List<float[]> boxes = new ArrayList<>();
        for (PersonTeacher.Box b : teacher.detect(p, threshold))
            boxes.add(new float[] {b.x1() * sx, b.y1() * sy, (b.x2() - b.x1()) * sx, (b.y2() - b.y1()) * sy, b.score()});
        return new Frame(s.name(), DetectorTrainer.bytes(x), boxes);
    }

    /** Sampled frames with their time from the start of the footage. */
    private interface Source extends AutoCloseable {
        Sampled next() throws IOException;
        String error();
        @Override void close();
    }

    private static Source open(String camera, double cameraFps, double sampleFps) throws IOException {
        Path p = camera.contains("://") ? null : Path.of(camera);
        if (p != null && Files.isDirectory(p)) {
            // a directory is decoded file by file: only the sampled ones are read
            List<Path> files = FrameFiles.list(p);
            if (files.isEmpty()) throw new DataFormatException("camera " + camera + " yielded no frames: no frame files (pgm, ppm, png, jpg, bmp) in it");
            return new Source() {
                int k;
                long lastSlot = -1;
                public Sampled next() {
                    while (k < files.size()) {
                        int i = k++;
                        long slot = (long) Math.floor(i * sampleFps / cameraFps + 1e-9);
                        if (slot == lastSlot) continue;
                        lastSlot = slot;
                        Path f = files.get(i);
                        double t = i / cameraFps;
                        try {
                            return new Sampled(f.getFileName().toString(), t, FrameFiles.read(f), null);
                        } catch (IOException | RuntimeException e) {
                            return new Sampled(f.getFileName().toString(), t, null, e.getMessage());
                        }
                    }
                    return null;
                }
                public String error() { return null; }
                public void close() {}
            };
        }
        if (p != null && Files.isRegularFile(p) && Files.size(p) == 0) throw new DataFormatException("camera " + camera + " yielded no frames: the file is empty");
        // a video or stream: ffmpeg resamples it to the sample rate, so frame k is at k / sampleFps
        FrameStream s;
        try {
            s = FrameStream.open(camera, sampleFps);
        } catch (java.nio.file.NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFormatException("camera " + camera + " yielded no frames: " + e.getMessage());
        }
        return new Source() {
            long k;
            public Sampled next() throws IOException {
                FrameStream.Item it = s.next();
                if (it == null) return null;
                double t = k++ / sampleFps;
                return new Sampled(it.name(), t, it.picture(), it.error());
            }
            public String error() { return s.error(); }
            public void close() { s.close(); }
        };
    }
}
