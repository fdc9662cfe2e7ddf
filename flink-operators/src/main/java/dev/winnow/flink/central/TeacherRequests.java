package dev.winnow.flink.central;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.TeacherRequest;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.image.FrameResize;

/**
 * Makes the {@link TeacherRequest} for a frame: a raw frame (GRAY8, RGB24) whose longer side exceeds
 * {@code maxSide} is downscaled bilinearly (aspect kept) to that side, since the teacher fits every
 * frame into its own input square anyway (512 for the CenterNet teacher) and the link to the central
 * job carries only what the teacher uses. JPEG frames go as they are: already compressed, and
 * decoding them here would spend the edge CPU the central path exists to save.
 *
 * <p>Not thread safe: one per subtask (it keeps its float buffers in fields).
 */
final class TeacherRequests {
    private static final float[] ZERO = {0, 0, 0}, ONE = {1, 1, 1};
    private final int maxSide;
    private float[] plane = new float[0], resized = new float[0];

    TeacherRequests(int maxSide) {
        this.maxSide = maxSide;
    }

    /** The width and height a w x h frame is sent at. */
    int[] sentSize(Frame f) {
        int longer = Math.max(f.width, f.height);
        if (f.encoding == FrameEncoding.JPEG || longer <= maxSide) return new int[] {f.width, f.height};
        double s = (double) maxSide / longer;
        return new int[] {Math.max(1, (int) Math.round(f.width * s)), Math.max(1, (int) Math.round(f.height * s))};
    }

    TeacherRequest request(Frame f, Verdict student, boolean sample, long edgeDropped, long edgeKept) {
        TeacherRequest r = new TeacherRequest();
        r.cameraId = f.cameraId;
        r.seq = f.seq;
        r.timestampMillis = f.timestampMillis;
        r.encoding = f.encoding;
        r.sample = sample;
        r.studentScore = student.score;
        r.studentCount = student.count;
        r.studentModel = student.modelName;
        r.studentVersion = student.modelVersion;
        r.edgeDropped = edgeDropped;
        r.edgeKept = edgeKept;
        int[] size = sentSize(f);
        int c = f.encoding == FrameEncoding.RGB24 ? 3 : 1;
        if (size[0] == f.width && size[1] == f.height || f.data == null || f.data.length != f.width * f.height * c) {
            // as it is (a wrong-sized frame included: the central job counts and skips it, and the edge times out)
            r.width = f.width;
            r.height = f.height;
            r.data = f.data;
            return r;
        }
        int n = f.width * f.height * c, m = size[0] * size[1] * c;
        if (plane.length < n) plane = new float[n];
        if (resized.length < m) resized = new float[m];
        FrameResize.toPlane(f.data, f.width, f.height, c, c, plane);
        FrameResize.resize(plane, f.width, f.height, c, resized, 0, size[0], size[0], size[1], 0, 0, 1f, ZERO, ONE);
        byte[] out = new byte[m];
        for (int i = 0; i < m; i++) out[i] = (byte) Math.min(255, Math.max(0, Math.round(resized[i])));
        r.width = size[0];
        r.height = size[1];
        r.data = out;
        return r;
    }
}
