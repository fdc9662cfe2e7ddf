package dev.winnow.runtime.kernel.base;

/**
 * Shapes of a 2-D convolution or pooling window over an HWC tensor: input and output sizes, kernel,
 * stride and the explicit top/left padding. Use {@link #same} or {@link #valid} for TensorFlow's
 * padding modes.
 */
public record ConvGeometry(int inH, int inW, int inC, int outH, int outW, int outC,
                           int kH, int kW, int strideH, int strideW, int padTop, int padLeft) {
    public ConvGeometry {
        if (inH < 1 || inW < 1 || inC < 1 || outH < 1 || outW < 1 || outC < 1 || kH < 1 || kW < 1
                || strideH < 1 || strideW < 1 || padTop < 0 || padLeft < 0) {
            throw new IllegalArgumentException("invalid convolution geometry: " + this.toStringRaw(inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW));
        }
    }

    private String toStringRaw(int... v) {
        return java.util.Arrays.toString(v);
    }

    /** TensorFlow SAME padding: output = ceil(in / stride), padding split with the extra on the bottom/right. */
    public static ConvGeometry same(int inH, int inW, int inC, int outC, int kH, int kW, int strideH, int strideW) {
        int outH = (inH + strideH - 1) / strideH;
        int outW = (inW + strideW - 1) / strideW;
        int padH = Math.max(0, (outH - 1) * strideH + kH - inH);
        int padW = Math.max(0, (outW - 1) * strideW + kW - inW);
        return new ConvGeometry(inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, padH / 2, padW / 2);
    }

    /** TensorFlow VALID padding: no padding, output = floor((in - k) / stride) + 1. */
    public static ConvGeometry valid(int inH, int inW, int inC, int outC, int kH, int kW, int strideH, int strideW) {
        int outH = (inH - kH) / strideH + 1;
        int outW = (inW - kW) / strideW + 1;
        return new ConvGeometry(inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, 0, 0);
    }

    public static ConvGeometry of(String padding, int inH, int inW, int inC, int outC, int kH, int kW, int strideH, int strideW) {
        switch (padding) {
            case "same": return same(inH, inW, inC, outC, kH, kW, strideH, strideW);
            case "valid": return valid(inH, inW, inC, outC, kH, kW, strideH, strideW);
            default: throw new IllegalArgumentException("padding must be 'same' or 'valid', got '" + padding + "'");
        }
    }

    public int inputSize() { return inH * inW * inC; }
    public int outputSize() { return outH * outW * outC; }
    /** The first filter row whose input row lies inside the input, for output row {@code oh}. */
    public int firstRow(int oh) { return Math.max(0, padTop - oh * strideH); }
    /** One past the last filter row whose input row lies inside the input, for output row {@code oh}. */
    public int endRow(int oh) { return Math.min(kH, inH + padTop - oh * strideH); }
    /** The first filter column whose input column lies inside the input, for output column {@code ow}. */
    public int firstColumn(int ow) { return Math.max(0, padLeft - ow * strideW); }
    /** One past the last filter column whose input column lies inside the input, for output column {@code ow}. */
    public int endColumn(int ow) { return Math.min(kW, inW + padLeft - ow * strideW); }

    /**
     * The first output column whose filter columns all lie inside the input. With {@link #endWholeColumn()}
     * the range of such columns, contiguous because the window moves right by the stride; empty when none.
     */
    public int firstWholeColumn() { return Math.min(outW, (padLeft + strideW - 1) / strideW); }

    /** One past the last output column whose filter columns all lie inside the input (see {@link #firstWholeColumn()}). */
    public int endWholeColumn() {
        int span = inW - kW + padLeft;  // the last whole window's first input column, shifted by the padding
        return span < 0 ? firstWholeColumn() : Math.max(firstWholeColumn(), Math.min(outW, span / strideW + 1));
    }

    public boolean isPointwise() { return kH == 1 && kW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0; }
}
