package dev.winnow.flink.track;

/**
 * One frame of ByteTrack-style tracking on a camera's {@link TrackTable}: predict every track with its
 * Kalman filter; match all tracks to the high-score detections by IoU; match the confirmed tracks left
 * over to the low-score detections (a person half hidden scores low but is still the same person);
 * match the tracks still unmatched to the high-score detections left by centre distance within a
 * box-height gate (a camera at 1-2 fps moves people past any overlap with their prediction);
 * correct the matched tracks; count a miss for the others (a tentative track dies at its first miss,
 * a confirmed one after {@code maxMisses} in a row, so an id survives a short occlusion); start a
 * tentative track from each high-score detection left unmatched.
 *
 * <p>Not thread-safe; one instance per operator subtask. Every array it uses is allocated here, once,
 * sized by the config's bounds; {@link #step} allocates nothing. The result of a step stays in
 * {@link #ids()}/{@link #boxes()} until the next.
 */
public final class ByteTracker {
    private final TrackerConfig config;
    private final KalmanBox kalman;
    private final IouAssociation association;
    private final float[] trackBoxes;
    private final int[] all, leftover, detOfTrack, trackOfDet, high, low;
    private final long[] outIds;
    private final float[] outBoxes;
    private int visible, alive, malformed, truncated, droppedBirths;

    public ByteTracker(TrackerConfig config) {
        this.config = config;
        this.kalman = config.kalman();
        int t = config.maxTracks, d = config.maxDetections;
        association = new IouAssociation(t, d);
        trackBoxes = new float[4 * t];
        all = new int[t];
        leftover = new int[t];
        detOfTrack = new int[t];
        outIds = new long[t];
        outBoxes = new float[4 * t];
        trackOfDet = new int[d];
        high = new int[d];
        low = new int[d];
    }

    public TrackTable newTable() {
        return new TrackTable(config.maxTracks);
    }

    /**
     * Tracks one frame's detections, {@code boxes} as (x, y, w, h, score) rows, top-left in frame pixels.
     * A row with a non-finite value or a width or height <= 0 is left out and counted in {@link #malformed()};
     * rows beyond the config's detection bound are left out and counted in {@link #truncated()}.
     */
    public void step(TrackTable table, float[] boxes) {
        if (table.capacity() != config.maxTracks) throw new IllegalArgumentException("track table of capacity " + table.capacity() + " for a tracker bounded at " + config.maxTracks);
        int rows = boxes.length / 5;
        malformed = boxes.length % 5 != 0 ? 1 : 0;
        truncated = Math.max(0, rows - config.maxDetections);
        droppedBirths = 0;
        int nd = Math.min(rows, config.maxDetections), nt = table.size;

        for (int s = 0; s < nt; s++) {
            kalman.predict(table.x, table.p, s);
            KalmanBox.box(table.x, s, trackBoxes, 4 * s);
            detOfTrack[s] = -1;
            all[s] = s;
        }
        int nh = 0, nl = 0;
        for (int d = 0; d < nd; d++) {
            trackOfDet[d] = -1;
            int o = 5 * d;
            float w = boxes[o + 2], h = boxes[o + 3], score = boxes[o + 4];
            if (!Float.isFinite(boxes[o]) || !Float.isFinite(boxes[o + 1]) || !(w > 0) || !(h > 0) || !Float.isFinite(w) || !Float.isFinite(h) || !Float.isFinite(score)) {
                malformed++;
                continue;
            }
            if (score >= config.highScore) high[nh++] = d;
            else if (score >= config.lowScore) low[nl++] = d;
        }

        association.match(trackBoxes, all, nt, boxes, high, nh, config.matchIou, detOfTrack, trackOfDet);
        int nc = 0;
        for (int s = 0; s < nt; s++) if (detOfTrack[s] < 0 && table.id[s] != 0) leftover[nc++] = s;
        association.match(trackBoxes, leftover, nc, boxes, low, nl, config.lowMatchIou, detOfTrack, trackOfDet);
        // large motion (low frame rates): tracks still unmatched, new or confirmed, take the nearest high-score detection of similar size
        association.matchByDistance(trackBoxes, all, nt, boxes, high, nh, config.distanceGate, detOfTrack, trackOfDet);

        for (int s = 0; s < nt; s++) {
            int d = detOfTrack[s];
            if (d >= 0) {
                int o = 5 * d;
                kalman.update(table.x, table.p, s, boxes[o], boxes[o + 1], boxes[o + 2], boxes[o + 3]);
                table.hits[s]++;
                table.misses[s] = 0;
                if (table.id[s] == 0 && table.hits[s] >= config.birthHits) table.id[s] = table.nextId++;
            } else {
                table.misses[s]++;
            }
        }
        for (int s = nt - 1; s >= 0; s--) {
            if ((table.id[s] == 0 && table.misses[s] > 0) || table.misses[s] > config.maxMisses) table.remove(s);
        }
        for (int k = 0; k < nh; k++) {
            int d = high[k];
            if (trackOfDet[d] >= 0) continue;
            if (table.size == table.capacity()) {
                droppedBirths++;
                continue;
            }
            int s = table.size++, o = 5 * d;
            kalman.init(table.x, table.p, s, boxes[o], boxes[o + 1], boxes[o + 2], boxes[o + 3]);
            table.hits[s] = 1;
            table.misses[s] = 0;
            table.id[s] = config.birthHits <= 1 ? table.nextId++ : 0;
        }

        visible = 0;
        alive = 0;
        for (int s = 0; s < table.size; s++) {
            if (table.id[s] == 0) continue;
            alive++;
            if (table.misses[s] > 0) continue;
            // insertion by id: a handful of tracks, and the output order must not depend on slot order
            int i = visible++;
            while (i > 0 && outIds[i - 1] > table.id[s]) {
                outIds[i] = outIds[i - 1];
                System.arraycopy(outBoxes, 4 * (i - 1), outBoxes, 4 * i, 4);
                i--;
            }
            outIds[i] = table.id[s];
            KalmanBox.box(table.x, s, outBoxes, 4 * i);
        }
    }

    /** Confirmed tracks matched in the last frame: ids ascending in {@code ids()[0..visible())}. */
    public int visible() { return visible; }
    /** Confirmed tracks alive after the last frame, including those coasting through a miss. */
    public int alive() { return alive; }
    public long[] ids() { return outIds; }
    /** Filtered top-left boxes (x, y, w, h) of the visible tracks, in the order of {@link #ids()}. */
    public float[] boxes() { return outBoxes; }
    public int malformed() { return malformed; }
    public int truncated() { return truncated; }
    public int droppedBirths() { return droppedBirths; }
}
