package dev.winnow.tools.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX model being written: nodes, initializers, graph inputs and outputs, serialized as a
 * ModelProto with the field numbers of onnx.proto (ModelProto: ir_version 1, opset_import 8,
 * producer_name 2, graph 7; GraphProto: node 1, name 2, initializer 5, input 11, output 12;
 * NodeProto: input 1, output 2, name 3, op_type 4, attribute 5; TensorProto: dims 1, data_type 2,
 * name 8, raw_data 9; ValueInfoProto: name 1, type 2). Only the default domain, opset {@link #OPSET}.
 */
final class OnnxModel {
    static final int OPSET = 17;
    /** IR version 8 is the one that goes with opset 17. */
    static final int IR_VERSION = 8;
    static final int FLOAT = 1, INT8 = 3, INT32 = 6, INT64 = 7;
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_INTS = 7;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private int unique;

    /** A name no other tensor of this model has, for the tensors the export adds. */
    String fresh(String base) {
        return base + "__" + (unique++);
    }

    /** One node; {@code attrs} are alternating name and value (Integer/Long, Float, String, or long[]). */
    void node(String opType, String name, String[] in, String[] out, Object... attrs) {
        ProtoWriter n = new ProtoWriter();
        for (String s : in) n.string(1, s);
        for (String s : out) n.string(2, s);
        n.string(3, name).string(4, opType);
        for (int i = 0; i < attrs.length; i += 2) n.message(5, attribute((String) attrs[i], attrs[i + 1]));
        nodes.add(n);
    }

    private static ProtoWriter attribute(String name, Object value) {
        ProtoWriter a = new ProtoWriter().string(1, name);
        if (value instanceof Float) return a.float32(2, (Float) value).int64(20, ATTR_FLOAT);
        if (value instanceof String) return a.string(4, (String) value).int64(20, ATTR_STRING);
        if (value instanceof Number) return a.int64(3, ((Number) value).longValue()).int64(20, ATTR_INT);
        if (value instanceof long[]) {
            for (long v : (long[]) value) a.int64(8, v);
            return a.int64(20, ATTR_INTS);
        }
        throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
    }

    void floats(String name, long[] dims, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        initializer(name, dims, FLOAT, b.array());
    }

    void int8s(String name, long[] dims, byte[] v) {
        initializer(name, dims, INT8, v.clone());
    }

    void int32s(String name, long[] dims, int[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        initializer(name, dims, INT32, b.array());
    }

    void int64s(String name, long[] dims, long[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        initializer(name, dims, INT64, b.array());
    }

    /** A scalar float initializer under a fresh name. */
    String scalar(String base, float v) {
        String name = fresh(base);
        floats(name, new long[0], new float[] {v});
        return name;
    }

    /** A scalar int8 initializer under a fresh name (zero points, int8 clamps). */
    String scalarInt8(String base, int v) {
        String name = fresh(base);
        int8s(name, new long[0], new byte[] {(byte) v});
        return name;
    }

    private void initializer(String name, long[] dims, int type, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        if (dims.length > 0) t.packed(1, dims);
        t.int64(2, type).string(8, name).bytes(9, raw);
        initializers.add(t);
    }

    void input(String name, int elemType, long[] dims) {
        inputs.add(valueInfo(name, elemType, dims));
    }

    void output(String name, int elemType, long[] dims) {
        outputs.add(valueInfo(name, elemType, dims));
    }

    /** ValueInfoProto → TypeProto (tensor_type 1) → Tensor (elem_type 1, shape 2) → TensorShapeProto (dim 1, dim_value 1). */
    private static ProtoWriter valueInfo(String name, int elemType, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) shape.message(1, new ProtoWriter().int64(1, d));
        ProtoWriter tensor = new ProtoWriter().int64(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
    }

    byte[] toBytes(String graphName, String producerVersion) {
        ProtoWriter g = new ProtoWriter();
        for (ProtoWriter n : nodes) g.message(1, n);
        g.string(2, graphName);
        for (ProtoWriter t : initializers) g.message(5, t);
        for (ProtoWriter i : inputs) g.message(11, i);
        for (ProtoWriter o : outputs) g.message(12, o);
        return new ProtoWriter().int64(1, IR_VERSION).string(2, "winnow").string(3, producerVersion)
                .message(7, g).message(8, new ProtoWriter().string(1, "").int64(2, OPSET)).toByteArray();
    }
}
