package dev.winnow.runtime.family;

/**
 * RNNPool slid over an H x W x C map: patches of size k with stride s and no input padding give
 * floor((H−k)/s)+1 x floor((W−k)/s)+1 outputs of 4·h2 channels; optionally the output is padded by
 * one on the bottom and right by replicating its last row and column, as the RNNPool face models
 * do (320x240, k 8, s 4: 79x59 → 80x60).
 */
public final class RnnPoolLayer {
    private final RnnPool pool;
    private final int inH, inW, stride;
    private final boolean padOutput;
    private final int gridH, gridW;

    public RnnPoolLayer(RnnPool pool, int inH, int inW, int stride, boolean padOutput) {
        if (pool.rows() > inH || pool.cols() > inW) throw new IllegalArgumentException("patch larger than the input");
        if (stride < 1) throw new IllegalArgumentException("stride must be >= 1");
        this.pool = pool;
        this.inH = inH;
        this.inW = inW;
        this.stride = stride;
        this.padOutput = padOutput;
        this.gridH = (inH - pool.rows()) / stride + 1;
        this.gridW = (inW - pool.cols()) / stride + 1;
    }

    public int outH() { return gridH + (padOutput ? 1 : 0); }
    public int outW() { return gridW + (padOutput ? 1 : 0); }
    public int outC() { return pool.outputSize(); }
    public RnnPool pool() { return pool; }
    public int scratchSize() { return pool.scratchSize(); }
    public long macs() { return (long) gridH * gridW * pool.macsPerPatch(); }

    public void run(float[] in, int inOff, float[] out, int outOff, float[] s, int sOff) {
        final int c = pool.channels(), oc = outC(), ow = outW(), rowStride = inW * c;
        for (int i = 0; i < gridH; i++) {
            int j = 0;
            for (; j + 1 < gridW; j += 2) { // two patches at a time: their sequences share the vector lanes
                int a = inOff + (i * stride * inW + j * stride) * c, o = outOff + (i * ow + j) * oc;
                pool.poolTwo(in, a, a + stride * c, rowStride, out, o, o + oc, s, sOff);
            }
            if (j < gridW) pool.pool(in, inOff + (i * stride * inW + j * stride) * c, rowStride, out, outOff + (i * ow + j) * oc, s, sOff);
        }
        if (padOutput) padLastRowAndColumn(out, outOff, gridH, gridW, oc);
    }

    /**
     * Fills the padding row and column of a (gridH+1) x (gridW+1) x oc output whose gridH x gridW
     * part is written, by replicating its last column and then its last row. {@code out} is the
     * float or the int8 layer's output array ({@code float[]} or {@code byte[]}). The caller's thread, on its own output.
     */
    static void padLastRowAndColumn(Object out, int outOff, int gridH, int gridW, int oc) {
        int ow = gridW + 1;
        for (int i = 0; i < gridH; i++) {
            int row = outOff + i * ow * oc;
            System.arraycopy(out, row + (gridW - 1) * oc, out, row + gridW * oc, oc);
        }
        System.arraycopy(out, outOff + (gridH - 1) * ow * oc, out, outOff + gridH * ow * oc, ow * oc);
    }
}
