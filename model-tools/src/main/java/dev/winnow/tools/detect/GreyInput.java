package dev.winnow.tools.detect;

import dev.winnow.runtime.image.FrameResize;
import dev.winnow.tools.teacher.Picture;

/**
 * A picture as a grey-frame student's input, converted by the same code as the Flink frame operator
 * ({@code FramePreprocessor}) converts it: {@link FrameResize#greyStretch}, grey by the Rec. 601 luma
 * weights, stretched to the model's size by bilinear interpolation with half-pixel centres, in [0, 1].
 */
final class GreyInput {
    private GreyInput() {}

    static void fill(Picture p, int outW, int outH, float[] out) {
        FrameResize.greyStretch(p.data(), p.width(), p.height(), p.channels(), outW, outH, out, new float[p.width() * p.height()]);
    }
}
