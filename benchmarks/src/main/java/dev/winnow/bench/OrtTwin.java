package dev.winnow.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.graph.TensorSpec;
import dev.winnow.tools.onnx.OnnxExport;
import dev.winnow.tools.onnx.OnnxLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Winnow model and its ONNX export (same weights) with the same input loaded in both runtimes:
 * ONNX Runtime on one intra-op and one inter-op thread, inputs and outputs in direct buffers
 * allocated once (outputs pinned), so a timed call is one {@code session.run} against one
 * {@link Interpreter#invoke()}. {@link #check} compares every output before anything is timed.
 */
final class OrtTwin implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    final Model model;
    private final Interpreter it;
    private final OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    private final Map<String, OnnxValue> outputs = new LinkedHashMap<>();
    private final Map<String, ByteBuffer> outputBuffers = new LinkedHashMap<>();

    /** {@code input}: the first graph input's values in HWC order (int8 inputs: the codes). */
    OrtTwin(Model model, float[] input) throws Exception {
        this.model = model;
        this.it = model.newInterpreter();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        this.session = env.createSession(OnnxExport.toOnnx(model.artifact()), o);
        TensorSpec in = model.input(0);
        writeWinnow(in, input);
        inputs.put(in.name(), tensor(in, OnnxLayout.toNchw(input, in.shape())));
        for (int k = 0; k < model.outputCount(); k++) {
            TensorSpec t = model.output(k);
            ByteBuffer b = ByteBuffer.allocateDirect(t.elementCount() * (t.type() == ElementType.INT8 ? 1 : 4)).order(ByteOrder.nativeOrder());
            outputBuffers.put(t.name(), b);
            outputs.put(t.name(), t.type() == ElementType.INT8 ? OnnxTensor.createTensor(env, b, OnnxLayout.shape(t.shape()), OnnxJavaType.INT8)
                    : OnnxTensor.createTensor(env, b.asFloatBuffer(), OnnxLayout.shape(t.shape())));
        }
    }

    private void writeWinnow(TensorSpec in, float[] x) {
        int off = it.inputOffset(0);
        for (int i = 0; i < x.length; i++) {
            if (in.type() == ElementType.INT8) it.arena().b[off + i] = (byte) x[i];
            else it.arena().f[off + i] = x[i];
        }
    }

    private OnnxTensor tensor(TensorSpec t, float[] nchw) throws OrtException {
        if (t.type() == ElementType.INT8) {
            ByteBuffer b = ByteBuffer.allocateDirect(nchw.length);
            for (float v : nchw) b.put((byte) v);
            b.rewind();
            return OnnxTensor.createTensor(env, b, OnnxLayout.shape(t.shape()), OnnxJavaType.INT8);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(nchw.length * 4).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(nchw);
        return OnnxTensor.createTensor(env, b.asFloatBuffer(), OnnxLayout.shape(t.shape()));
    }

    void winnow() {
        it.invoke();
    }

    void ort() throws OrtException {
        session.run(inputs, outputs).close();
    }

    /**
     * Runs both once and compares every output element: float within {@code floatTol} · (max |y| + 1)
     * + {@code floatAbs}, int8 within {@code codes} codes. Returns the largest differences; throws when an
     * output disagrees.
     */
    String check(double floatTol, int codes, double floatAbs) throws OrtException {
        winnow();
        ort();
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < model.outputCount(); k++) {
            TensorSpec t = model.output(k);
            float[] w = winnowOutput(k), o = OnnxLayout.toHwc(ortOutput(t), t.shape());
            double max = 0, diff = 0;
            int differ = 0;
            for (int i = 0; i < w.length; i++) {
                max = Math.max(max, Math.abs(w[i]));
                diff = Math.max(diff, Math.abs(w[i] - o[i]));
                if (w[i] != o[i]) differ++;
            }
            double bound = t.type() == ElementType.INT8 ? codes : floatTol * (max + 1) + floatAbs;
            String line = String.format(java.util.Locale.ROOT, "%s %s: max |winnow - onnxruntime| %.3g (bound %.3g), %d of %d differ",
                    t.name(), t.type() == ElementType.INT8 ? "int8 codes" : "float", diff, bound, differ, w.length);
            if (!(diff <= bound)) throw new IllegalStateException("the twins disagree: " + line);
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private float[] winnowOutput(int k) {
        TensorSpec t = model.output(k);
        int off = it.outputOffset(k);
        float[] y = new float[t.elementCount()];
        for (int i = 0; i < y.length; i++) y[i] = t.type() == ElementType.INT8 ? it.arena().b[off + i] : it.arena().f[off + i];
        return y;
    }

    private float[] ortOutput(TensorSpec t) {
        ByteBuffer b = outputBuffers.get(t.name());
        float[] y = new float[t.elementCount()];
        for (int i = 0; i < y.length; i++) y[i] = t.type() == ElementType.INT8 ? b.get(i) : b.getFloat(4 * i);
        return y;
    }




    @Override
    public void close() throws OrtException {
        for (OnnxTensor t : inputs.values()) t.close();
        for (OnnxValue v : outputs.values()) v.close();
        session.close();
    }
}
