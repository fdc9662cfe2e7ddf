package dev.winnow.flink.track;

import java.io.Serializable;

/**
 * A counting line segment a→b in frame pixels. A point's side is the sign of (b − a) × (p − a): with
 * image y pointing down, positive is to the right of a walker going from a to b. A track crosses
 * "in" when its anchor goes from the negative to the positive side, "out" the other way. Within
 * {@code hysteresis} pixels of the line a point has no side, so a person dithering on the line counts
 * once; a side change counts only where the anchor's projection falls on the segment.
 */
public final class GateLine implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String name;
    private final double ax, ay, dx, dy, length, hysteresis;

    public GateLine(String name, double ax, double ay, double bx, double by, double hysteresis) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a gate line needs a name");
        double len = Math.hypot(bx - ax, by - ay);
        if (!(len > 0)) throw new IllegalArgumentException("gate line " + name + ": its two ends must differ, got (" + ax + "," + ay + ") twice");
        if (!(hysteresis >= 0)) throw new IllegalArgumentException("gate line " + name + ": hysteresis must be >= 0 pixels, got " + hysteresis);
        this.name = name;
        this.ax = ax;
        this.ay = ay;
        this.dx = bx - ax;
        this.dy = by - ay;
        this.length = len;
        this.hysteresis = hysteresis;
    }

    /** +1 or −1 for a point farther than the hysteresis from the line, 0 within it. */
    public int side(double px, double py) {
        double distance = (dx * (py - ay) - dy * (px - ax)) / length;
        return distance > hysteresis ? 1 : distance < -hysteresis ? -1 : 0;
    }

    /** Whether the point's projection onto the line falls on the segment. */
    public boolean alongSegment(double px, double py) {
        double t = ((px - ax) * dx + (py - ay) * dy) / (length * length);
        return t >= 0 && t <= 1;
    }
}
