package dev.winnow.tools.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.graph.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One Winnow model and its ONNX export run on the same input in both runtimes; outputs come back in
 * Winnow's HWC order and element type (int8 as the raw codes) so they compare element for element.
 */
final class OrtTwin implements AutoCloseable {
    final Model model;
    private final OrtSession session;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    OrtTwin(byte[] artifact) throws Exception {
        this.model = Model.load(artifact);
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        this.session = env.createSession(OnnxExport.toOnnx(model.artifact()), o);
    }

    /** Winnow's output 0 for raw input codes/values {@code x} (HWC), as float (int8 outputs as their codes). */
    float[] winnow(float[] x) {
        Interpreter it = model.newInterpreter();
        TensorSpec in = it.inputSpec(0);
        int off = it.inputOffset(0);
        for (int i = 0; i < x.length; i++) {
            if (in.type() == ElementType.INT8) it.arena().b[off + i] = (byte) x[i];
            else it.arena().f[off + i] = x[i];
        }
        it.invoke();
        TensorSpec out = it.outputSpec(0);
        float[] y = new float[out.elementCount()];
        int o = it.outputOffset(0);
        for (int i = 0; i < y.length; i++) y[i] = out.type() == ElementType.INT8 ? it.arena().b[o + i] : it.arena().f[o + i];
        return y;
    }

    /** ONNX Runtime's output 0 for the same input, back in HWC order. */
    float[] ort(float[] x) throws OrtException {
        TensorSpec in = model.input(0), out = model.output(0);
        float[] nchw = OnnxLayout.toNchw(x, in.shape());
        long[] shape = OnnxLayout.shape(in.shape());
        OnnxTensor t;
        if (in.type() == ElementType.INT8) {
            ByteBuffer b = ByteBuffer.allocateDirect(nchw.length);
            for (float v : nchw) b.put((byte) v);
            b.rewind();
            t = OnnxTensor.createTensor(env, b, shape, OnnxJavaType.INT8);
        } else {
            t = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
        }
        try (t; OrtSession.Result r = session.run(Map.of(in.name(), t), java.util.Set.of(out.name()))) {
            OnnxTensor y = (OnnxTensor) r.get(0);
            float[] flat = new float[out.elementCount()];
            if (out.type() == ElementType.INT8) {
                ByteBuffer b = y.getByteBuffer();
                for (int i = 0; i < flat.length; i++) flat[i] = b.get(i);
            } else {
                y.getFloatBuffer().get(flat);
            }
            return OnnxLayout.toHwc(flat, out.shape());
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
