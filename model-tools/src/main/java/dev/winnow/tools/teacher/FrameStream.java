package dev.winnow.tools.teacher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Frames to score, one at a time: the files of a directory in name order, or a video file or
 * stream URL decoded by ffmpeg ({@link VideoFrames}). A file that does not decode becomes an item
 * with an error, so callers count it and go on. Not thread safe: one reader.
 */
public interface FrameStream extends AutoCloseable {
    /** One frame: its name (the file name, or {@code <video>:<index>}) and picture, or why it could not be read. */
    record Item(String name, Picture picture, String error) {}

    Item next() throws IOException;
    /** Number of frames when known in advance, else 0. */
    long total();
    /** Why the supply ended early, or null. */
    String error();
    @Override void close();

    static FrameStream open(String frames, double fps) throws IOException {
        Path p = frames.contains("://") ? null : Path.of(frames);
        if (p != null && Files.isDirectory(p)) {
            List<Path> files = FrameFiles.list(p);
            if (files.isEmpty()) throw new IOException(p + ": no frame files (pgm, ppm, png, jpg, bmp)");
            return new FrameStream() {
                int k;
                public Item next() {
                    if (k >= files.size()) return null;
                    Path f = files.get(k++);
                    try {
                        return new Item(f.getFileName().toString(), FrameFiles.read(f), null);
                    } catch (IOException | RuntimeException e) {
                        return new Item(f.getFileName().toString(), null, e.getMessage());
                    }
                }
                public long total() { return files.size(); }
                public String error() { return null; }
                public void close() {}
            };
        }
        if (p != null && !Files.exists(p)) throw new java.nio.file.NoSuchFileException(frames, null, "no such frame directory or video");
        VideoFrames v = new VideoFrames(frames, fps);
        String base = p != null ? p.getFileName().toString() : frames;
        return new FrameStream() {
            boolean ended;
            public Item next() throws IOException {
                if (ended) return null;
                long idx = v.index();
                Picture pic = v.next();
                if (pic == null) {
                    ended = true;
                    return null;
                }
                return new Item(String.format(Locale.ROOT, "%s:%06d", base, idx), pic, null);
            }
            public long total() { return 0; }
            public String error() {
                List<String> e = v.errors();
                return ended && v.index() == 0 && !e.isEmpty() ? "ffmpeg decoded no frame: " + e.get(0) : null;
            }
            public void close() { v.close(); }
        };
    }
}
