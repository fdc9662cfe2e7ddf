package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;

/** The reference int8 convolution: {@link Conv2dInt8}'s definition as it stands, no fast path, no scratch. What every fast variant must equal. */
final class Conv2dInt8Reference extends Conv2dInt8 {
    @Override public String name() { return "int8-reference"; }

    Conv2dInt8Reference(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filterOhwi, filterScales, bias, in, out, act);
    }
}
