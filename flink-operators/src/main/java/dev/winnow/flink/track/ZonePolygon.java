package dev.winnow.flink.track;

import java.io.Serializable;

/** A zone of one camera's frame: a simple polygon in pixels, closed implicitly from the last vertex to the first. */
public final class ZonePolygon implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String name;
    private final double[] xs, ys;

    /** {@code xy} as x0, y0, x1, y1, …; at least three vertices. */
    public ZonePolygon(String name, double... xy) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a zone polygon needs a name");
        if (xy.length % 2 != 0 || xy.length < 6) throw new IllegalArgumentException("zone " + name + ": a polygon needs at least 3 (x, y) vertices, got " + xy.length + " numbers");
        for (double v : xy) if (!Double.isFinite(v)) throw new IllegalArgumentException("zone " + name + ": vertex coordinates must be finite");
        this.name = name;
        xs = new double[xy.length / 2];
        ys = new double[xy.length / 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = xy[2 * i];
            ys[i] = xy[2 * i + 1];
        }
    }

    /** The bounding box: min x, min y, max x, max y. */
    public double[] bounds() {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < xs.length; i++) {
            b[0] = Math.min(b[0], xs[i]);
            b[1] = Math.min(b[1], ys[i]);
            b[2] = Math.max(b[2], xs[i]);
            b[3] = Math.max(b[3], ys[i]);
        }
        return b;
    }

    /** Even-odd ray casting: whether (x, y) lies inside. */
    public boolean contains(double x, double y) {
        boolean inside = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) inside = !inside;
        }
        return inside;
    }
}
