package dev.winnow.flink.frames;

/**
 * A frame's thumbnail for the difference detector: the model input averaged over blocks down to at
 * most {@code 32 x 24} cells, and the mean absolute difference of two thumbnails in the input's own
 * units (for the student, grey levels in [0, 1]). Reducto and NoScope skip frames this way; a fixed
 * threshold is used here. Not thread safe: one per subtask.
 */
final class FrameDifference {
    private final int h, w, c, cellsH, cellsW, blockH, blockW;

    FrameDifference(int[] inputShape) {
        this.h = inputShape[0];
        this.w = inputShape[1];
        this.c = inputShape[2];
        this.blockH = Math.max(1, h / 24);
        this.blockW = Math.max(1, w / 32);
        this.cellsH = h / blockH;
        this.cellsW = w / blockW;
    }

    int size() {
        return cellsH * cellsW;
    }

    /** Writes the thumbnail of {@code input} into {@code thumb}. */
    void thumbnail(float[] input, float[] thumb) {
        float norm = 1f / (blockH * blockW * c);
        for (int cy = 0; cy < cellsH; cy++) {
            for (int cx = 0; cx < cellsW; cx++) {
                float s = 0;
                for (int y = cy * blockH; y < (cy + 1) * blockH; y++) {
                    int row = (y * w + cx * blockW) * c;
                    for (int i = 0; i < blockW * c; i++) s += input[row + i];
                }
                thumb[cy * cellsW + cx] = s * norm;
            }
        }
    }

    static float meanAbsDifference(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s / a.length;
    }
}
