package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;

/** The reference int8 depthwise convolution: {@link DepthwiseConv2dInt8}'s definition as it stands (any multiplier), no scratch. */
final class DepthwiseInt8Reference extends DepthwiseConv2dInt8 {
    @Override public String name() { return "int8-dw-reference"; }

    DepthwiseInt8Reference(ConvGeometry g, byte[] filter, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filter, filterScales, bias, in, out, act);
    }
}
