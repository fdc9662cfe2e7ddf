package dev.winnow.runtime.graph;

import java.util.Arrays;

/**
 * An activation tensor of a graph: name, shape, element type and, for int8, its per-tensor affine
 * quantization. Its place in the arena is decided by the {@link MemoryPlanner}, once, when the model
 * is loaded.
 */
public final class TensorSpec {
    private final String name;
    private final int[] shape;
    private final ElementType type;
    private final float scale;
    private final int zeroPoint;
    private final int elementCount;

    public TensorSpec(String name, int[] shape, ElementType type, float scale, int zeroPoint) {
        this.name = name;
        this.shape = shape.clone();
        this.type = type;
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        long n = 1;
        for (int d : shape) {
            if (d < 1) throw new IllegalArgumentException("tensor '" + name + "' has a dimension < 1: " + Arrays.toString(shape));
            n *= d;
            if (n > (1 << 28)) throw new IllegalArgumentException("tensor '" + name + "' is too large: " + Arrays.toString(shape));
        }
        this.elementCount = (int) n;
        if (type == ElementType.INT8 && !(scale > 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("int8 tensor '" + name + "' needs a finite positive scale, got " + scale);
        }
        if (type == ElementType.INT8 && (zeroPoint < -128 || zeroPoint > 127)) {
            throw new IllegalArgumentException("int8 tensor '" + name + "' zero point out of range: " + zeroPoint);
        }
    }

    public static TensorSpec float32(String name, int... shape) {
        return new TensorSpec(name, shape, ElementType.FLOAT32, 1f, 0);
    }

    public static TensorSpec int8(String name, float scale, int zeroPoint, int... shape) {
        return new TensorSpec(name, shape, ElementType.INT8, scale, zeroPoint);
    }

    public String name() { return name; }
    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int i) { return shape[i]; }
    public ElementType type() { return type; }
    public float scale() { return scale; }
    public int zeroPoint() { return zeroPoint; }
    public int elementCount() { return elementCount; }
    public int byteSize() { return elementCount * type.bytes(); }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + ":" + type.name().toLowerCase()
                + (type == ElementType.INT8 ? "(s=" + scale + ",zp=" + zeroPoint + ")" : "");
    }
}
