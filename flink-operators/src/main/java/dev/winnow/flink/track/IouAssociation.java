package dev.winnow.flink.track;

import java.util.Arrays;

/**
 * Matches tracks to detections by IoU, greedily: every (track, detection) pair above the minimum IoU,
 * best IoU first, each track and each detection used once. Greedy rather than Hungarian because with a
 * few dozen boxes per frame the two differ only when one box overlaps two others almost equally, where
 * neither answer is more right; greedy is O(n·m·log(n·m)) with one sort of a primitive array, Hungarian
 * O(n³) with a cost matrix. Ties break by the lower track then the lower detection index, so a run and
 * its restore match alike.
 *
 * <p>Bounds: at most {@code maxTracks} tracks and {@code maxDetections} detections per call; the pair
 * buffer (maxTracks·maxDetections longs) is allocated once.
 */
public final class IouAssociation {
    private final int maxTracks, maxDetections;
    private final long[] pairs;

    public IouAssociation(int maxTracks, int maxDetections) {
        if (maxTracks < 1 || maxDetections < 1 || maxTracks > 65_535 || maxDetections > 65_535) {
            throw new IllegalArgumentException("association bounds must be in [1, 65535]: " + maxTracks + " tracks, " + maxDetections + " detections");
        }
        this.maxTracks = maxTracks;
        this.maxDetections = maxDetections;
        this.pairs = new long[maxTracks * maxDetections];
    }

    /** IoU of two top-left (x, y, w, h) boxes. */
    public static double iou(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh) {
        double iw = Math.min(ax + aw, bx + bw) - Math.max(ax, bx), ih = Math.min(ay + ah, by + bh) - Math.max(ay, by);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih, union = (double) aw * ah + (double) bw * bh - inter;
        return union > 0 ? inter / union : 0;
    }

    /**
     * Matches the tracks {@code tracks[0..nt)} (boxes at {@code trackBoxes[4·t]}) with the detections
     * {@code dets[0..nd)} (boxes at {@code detBoxes[5·d]}, x, y, w, h, score). Writes for each matched track
     * {@code detOfTrack[t] = d} and {@code trackOfDet[d] = t}; entries already >= 0 mark a track or
     * detection matched in an earlier pass and are skipped. Returns the number of new matches.
     */
    public int match(float[] trackBoxes, int[] tracks, int nt, float[] detBoxes, int[] dets, int nd, double minIou,
                     int[] detOfTrack, int[] trackOfDet) {
        checkBounds(nt, nd);
        int n = 0;
        for (int i = 0; i < nt; i++) {
            int t = tracks[i];
            if (detOfTrack[t] >= 0) continue;
            int tb = 4 * t;
            for (int j = 0; j < nd; j++) {
                int d = dets[j];
                if (trackOfDet[d] >= 0) continue;
                int db = 5 * d;
                double v = iou(trackBoxes[tb], trackBoxes[tb + 1], trackBoxes[tb + 2], trackBoxes[tb + 3],
                        detBoxes[db], detBoxes[db + 1], detBoxes[db + 2], detBoxes[db + 3]);
                if (v >= minIou && v > 0) pairs[n++] = pairKey((float) v, i, j);
            }
        }
        return take(pairs, n, tracks, dets, detOfTrack, trackOfDet);
    }

    /**
     * The fallback for large motion (a camera at 1-2 fps, where a walker's box moves most of its width
     * between frames and overlaps its prediction little or not at all): matches the tracks and detections
     * still unmatched by centre distance, greedily, nearest first, when the distance is at most
     * {@code gate} times the track box's height and the two heights differ by less than 1.5x. The gate
     * scales with the box, so a person far from the camera (small box) is held to a smaller distance.
     * Same arguments, marking and tie order as {@link #match}; returns the number of new matches.
     */
    public int matchByDistance(float[] trackBoxes, int[] tracks, int nt, float[] detBoxes, int[] dets, int nd, double gate,
                               int[] detOfTrack, int[] trackOfDet) {
        checkBounds(nt, nd);
        if (!(gate > 0)) return 0;
        int n = 0;
        for (int i = 0; i < nt; i++) {
            int t = tracks[i];
            if (detOfTrack[t] >= 0) continue;
            int tb = 4 * t;
            float th = trackBoxes[tb + 3];
            double tx = trackBoxes[tb] + trackBoxes[tb + 2] / 2.0, ty = trackBoxes[tb + 1] + th / 2.0, limit = gate * th;
            for (int j = 0; j < nd; j++) {
                int d = dets[j];
                if (trackOfDet[d] >= 0) continue;
                int db = 5 * d;
                float dh = detBoxes[db + 3];
                if (!(dh < 1.5f * th && th < 1.5f * dh)) continue;
                double dx = detBoxes[db] + detBoxes[db + 2] / 2.0 - tx, dy = detBoxes[db + 1] + dh / 2.0 - ty;
                double dist = Math.sqrt(dx * dx + dy * dy);
                if (dist <= limit) {
                    // closeness in (0, 1], ordered like match()'s IoU keys: nearest is largest
                    float v = (float) (1.0 - dist / limit) + Float.MIN_NORMAL;
                    pairs[n++] = pairKey(v, i, j);
                }
            }
        }
        return take(pairs, n, tracks, dets, detOfTrack, trackOfDet);
    }

    private void checkBounds(int nt, int nd) {
        if (nt > maxTracks || nd > maxDetections) throw new IllegalArgumentException("association of " + nt + " tracks and " + nd + " detections exceeds its bounds");
    }

    /**
     * A candidate pair as one sortable long, the form {@link #take} reads back: a score in (0, 1] as
     * float bits (which order like the value), then the complements of the track and detection
     * positions, so that among equal scores the lower positions sort higher and are taken first.
     */
    private static long pairKey(float score, int i, int j) {
        return ((long) Float.floatToIntBits(score) << 32) | ((long) (0xFFFF - i) << 16) | (0xFFFF - j);
    }

    /** Takes the pairs best first, skipping any whose track or detection is already matched. */
    private static int take(long[] pairs, int n, int[] tracks, int[] dets, int[] detOfTrack, int[] trackOfDet) {
        Arrays.sort(pairs, 0, n);
        int matched = 0;
        for (int k = n - 1; k >= 0; k--) {
            long key = pairs[k];
            int t = tracks[0xFFFF - (int) ((key >>> 16) & 0xFFFF)], d = dets[0xFFFF - (int) (key & 0xFFFF)];
            if (detOfTrack[t] >= 0 || trackOfDet[d] >= 0) continue;
            detOfTrack[t] = d;
            trackOfDet[d] = t;
            matched++;
        }
        return matched;
    }
}
