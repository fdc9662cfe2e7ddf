package dev.winnow.runtime.ops;

import dev.winnow.runtime.format.DType;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.QuantizationInfo;
import dev.winnow.runtime.format.TensorData;
import dev.winnow.runtime.graph.Arena;
import dev.winnow.runtime.graph.NodeContext;
import dev.winnow.runtime.graph.Op;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.runtime.kernel.BinaryConv2d;
import dev.winnow.runtime.kernel.BinaryDense;
import dev.winnow.runtime.kernel.BinaryPacking;
import dev.winnow.runtime.kernel.base.ConvGeometry;

/** {@code binary_dense} and {@code binary_conv2d}: XNOR-Net layers over float activations. */
final class BinaryOps {
    private BinaryOps() {}

    static final class DenseNode extends Op {
        private final BinaryDense kernel;
        private final int inN;
        private final int outN;

        DenseNode(NodeContext n, TensorSpec in, TensorSpec out, BinaryDense kernel) {
            super(n.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
            this.kernel = kernel;
            this.inN = in.elementCount();
            this.outN = out.elementCount();
        }

        static Op create(NodeContext n) throws ModelFormatException {
            TensorSpec in = n.floatInput(), out = n.floatOutput();
            TensorData w = n.weight("weights");
            if (w.dtype() != DType.BINARY || w.rank() != 2 || w.dim(1) != in.elementCount()) {
                throw n.error("weights must be a BINARY tensor [out, " + in.elementCount() + "]");
            }
            int o = w.dim(0);
            n.expectShape(out, o);
            QuantizationInfo q = w.quantization();
            float[] alpha = new float[o];
            if (q.kind() == QuantizationInfo.Kind.NONE) java.util.Arrays.fill(alpha, 1f);
            else for (int i = 0; i < o; i++) alpha[i] = q.scale(q.kind() == QuantizationInfo.Kind.PER_AXIS ? i : 0);
            return new DenseNode(n, in, out, new BinaryDense(in.elementCount(), o, w.toBitPackedWords(), alpha,
                    Weights.floatBias(n, o), ConvOp.parseActivation(n)));
        }

        @Override public String type() { return "binary_dense"; }
        @Override public long macs() { return BinaryDense.binaryOps(inN, outN); }
        @Override public long parameterCount() { return (long) inN * outN + 2L * outN; }
        @Override public int scratchLongs() { return kernel.inputWords(); }

        @Override
        public void invoke(Arena a) {
            float beta = BinaryPacking.pack(a.f, in[0], inN, a.l, scratchL);
            kernel.run(a.l, scratchL, beta, a.f, out[0]);
        }
    }

    static final class ConvNode extends Op {
        private final BinaryConv2d kernel;
        private final ConvGeometry g;

        ConvNode(NodeContext n, TensorSpec in, TensorSpec out, ConvGeometry g, BinaryConv2d kernel) {
            super(n.name(), new TensorSpec[] {in}, new TensorSpec[] {out});
            this.kernel = kernel;
            this.g = g;
        }

        /** The filter is stored as float OHWI and binarized at load (alpha per output channel). */
        static Op create(NodeContext n) throws ModelFormatException {
            TensorSpec in = n.floatInput(), out = n.floatOutput();
            TensorData filter = n.weight("filter");
            if (filter.rank() != 4 || in.rank() != 3 || filter.dim(3) != in.dim(2)) throw n.error("filter must be [O, kH, kW, " + (in.rank() == 3 ? in.dim(2) : "C") + "]");
            ConvGeometry g = ConvOp.geometry(n, in, filter.dim(0), filter.dim(1), filter.dim(2));
            n.expectShape(out, g.outH(), g.outW(), g.outC());
            return new ConvNode(n, in, out, g, new BinaryConv2d(g, filter.toFloatArray(), Weights.floatBias(n, g.outC()), ConvOp.parseActivation(n)));
        }

        @Override public String type() { return "binary_conv2d"; }
        @Override public long macs() { return BinaryConv2d.binaryOps(g); }
        @Override public long parameterCount() { return (long) g.kH() * g.kW() * g.inC() * g.outC() + 2L * g.outC(); }
        @Override public int scratchLongs() { return kernel.scratchWords(); }

        @Override
        public void invoke(Arena a) {
            kernel.run(a.f, in[0], a.l, scratchL, a.f, out[0]);
        }
    }
}
