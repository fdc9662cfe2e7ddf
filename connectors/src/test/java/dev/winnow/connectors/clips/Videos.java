package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real footage for clip tests, and the checks a person's player would make. Fails, never skips. */
public final class Videos {
    public static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    private Videos() {}

    public static Path vtest() {
        assertTrue(Files.isReadable(VTEST), VTEST + " is missing: apt-get install opencv-doc (scripts/install-deps.sh)");
        return VTEST;
    }

    /**
     * An H.264 MP4 made from vtest.avi (no H.264 clip with people ships in a Debian package that is
     * installed here): the first {@code seconds} s, libx264, a keyframe every 2 s.
     */
    public static Path h264(Path dir, int seconds) throws Exception {
        Path out = dir.resolve("vtest-h264.mp4");
        if (!Files.exists(out)) {
            run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", vtest().toString(), "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-preset", "veryfast", "-g", "20", "-keyint_min", "20", "-sc_threshold", "0", "-an", out.toString()));
        }
        return out;
    }

    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** ffprobe opens it; every frame decodes to the end without an error; returns its duration in seconds. */
    public static double assertPlayable(Path clip) throws Exception {
        String probe = run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", clip.toString())).trim();
        String errors = run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", clip.toString(), "-f", "null", "-"));
        assertEquals("", errors.trim(), clip + " does not decode cleanly");
        return Double.parseDouble(probe);
    }

    /** One encoded video packet: presentation time in seconds, size in bytes, keyframe or not. */
    public record Packet(double pts, long size, boolean key) {}

    /** The video packets of a file in presentation order, from ffprobe. */
    public static List<Packet> packets(Path video) throws Exception {
        String csv = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,size,flags",
                "-of", "csv=p=0", video.toString()));
        List<Packet> out = new java.util.ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] p = line.trim().split(",");
            if (p.length < 3 || p[0].equals("N/A")) continue;
            out.add(new Packet(Double.parseDouble(p[0]), Long.parseLong(p[1]), p[2].startsWith("K")));
        }
        out.sort(java.util.Comparator.comparingDouble(Packet::pts));
        return out;
    }

    /**
     * The least a keyframe-cut recorder can keep: for each span {@code [from, to)} (seconds, rolls
     * included) the encoded bytes from the last keyframe at or before {@code from} to the first
     * keyframe at or after {@code to}, spans united so shared GOPs count once.
     */
    public static long oracleBytes(List<Packet> packets, double[][] spans) {
        java.util.BitSet keep = new java.util.BitSet(packets.size());
        for (double[] span : spans) {
            double[] cut = keyframeCut(packets, span[0], span[1]);
            for (int i = 0; i < packets.size(); i++) if (packets.get(i).pts() >= cut[0] - 1e-6 && packets.get(i).pts() < cut[1] - 1e-6) keep.set(i);
        }
        long bytes = 0;
        for (int i = keep.nextSetBit(0); i >= 0; i = keep.nextSetBit(i + 1)) bytes += packets.get(i).size();
        return bytes;
    }

    /** {@code [last keyframe <= from, first keyframe >= to)} in seconds; the end of the stream when no keyframe follows. */
    public static double[] keyframeCut(List<Packet> packets, double from, double to) {
        double start = 0, end = Double.POSITIVE_INFINITY;
        for (Packet p : packets) {
            if (!p.key()) continue;
            if (p.pts() <= from + 1e-6) start = p.pts();
            if (p.pts() >= to - 1e-6 && p.pts() < end) end = p.pts();
        }
        if (end == Double.POSITIVE_INFINITY) end = packets.get(packets.size() - 1).pts() + 1e-3;
        return new double[] {start, end};
    }

    public static String codec(Path clip) throws Exception {
        return run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                clip.toString())).trim();
    }
}
