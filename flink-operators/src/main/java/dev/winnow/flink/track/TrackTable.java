package dev.winnow.flink.track;

/**
 * The tracks of one camera: a Flink POJO of primitive arrays, so that keyed state checkpoints it as a
 * handful of arrays and the tracker reuses it frame after frame. Slots [0, size) are live; a track
 * is tentative while {@code id[s] == 0} and gets the camera's next id once confirmed.
 */
public class TrackTable {
    public int size;
    public long nextId = 1;
    /** The last frame's sequence number, so a frame out of order is recognised and left out. */
    public long lastSeq = Long.MIN_VALUE;
    public long[] id;
    public int[] hits;
    public int[] misses;
    /** {@link KalmanBox#STATE} values per slot. */
    public double[] x;
    /** {@link KalmanBox#COVARIANCE} values per slot. */
    public double[] p;

    public TrackTable() {}

    public TrackTable(int capacity) {
        id = new long[capacity];
        hits = new int[capacity];
        misses = new int[capacity];
        x = new double[capacity * KalmanBox.STATE];
        p = new double[capacity * KalmanBox.COVARIANCE];
    }

    public int capacity() {
        return id.length;
    }

    /** Removes slot {@code s} by moving the last slot into it: O(1), and callers walking down from the end see every slot once. */
    void remove(int s) {
        int last = --size;
        if (s == last) return;
        id[s] = id[last];
        hits[s] = hits[last];
        misses[s] = misses[last];
        System.arraycopy(x, last * KalmanBox.STATE, x, s * KalmanBox.STATE, KalmanBox.STATE);
        System.arraycopy(p, last * KalmanBox.COVARIANCE, p, s * KalmanBox.COVARIANCE, KalmanBox.COVARIANCE);
    }
}
