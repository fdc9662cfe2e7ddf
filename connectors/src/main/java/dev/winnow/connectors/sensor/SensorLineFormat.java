package dev.winnow.connectors.sensor;

import dev.winnow.flink.types.SensorReading;
import java.io.Serializable;

/**
 * One reading per line: {@code sensorId,timestampMillis,value1,...,valueN[,label]}. With a fixed
 * number of values, a line must have exactly that many (plus the label when labelled); with
 * {@code values = -1} every column after the timestamp is a value (or all but the last, when
 * labelled). The label is an integer class; empty means unknown.
 */
public final class SensorLineFormat implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int values;
    private final boolean labelled;

    public SensorLineFormat(int values, boolean labelled) {
        if (values == 0 || values < -1) throw new IllegalArgumentException("values must be > 0, or -1 for any");
        this.values = values;
        this.labelled = labelled;
    }

    /** Any number of values, no label. */
    public static SensorLineFormat anyValues() {
        return new SensorLineFormat(-1, false);
    }

    /** True for lines that carry no reading and are not errors: blank lines and {@code #} comments. */
    public static boolean ignorable(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    /** Parses a line; {@link IllegalArgumentException} says what is wrong with it. */
    public SensorReading parse(String line) {
        String[] f = line.strip().split(",", -1);
        int fixed = 2 + (labelled ? 1 : 0);
        int n = f.length - fixed;
        if (n < 1 || (values > 0 && n != values)) {
            throw new IllegalArgumentException("expected " + (values > 0 ? values : "at least 1") + " value(s)"
                    + (labelled ? " and a label" : "") + ", got " + f.length + " columns");
        }
        String id = f[0].strip();
        if (id.isEmpty()) throw new IllegalArgumentException("empty sensorId");
        long ts;
        try {
            ts = Long.parseLong(f[1].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timestampMillis '" + f[1].strip() + "' is not an integer");
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            try {
                v[i] = Float.parseFloat(f[2 + i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("value" + (i + 1) + " '" + f[2 + i].strip() + "' is not a number");
            }
            if (!Float.isFinite(v[i])) throw new IllegalArgumentException("value" + (i + 1) + " is not finite");
        }
        SensorReading r = new SensorReading(id, ts, v);
        if (labelled) {
            String l = f[f.length - 1].strip();
            if (!l.isEmpty()) {
                try {
                    r.label = Integer.parseInt(l);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("label '" + l + "' is not an integer");
                }
            }
        }
        return r;
    }

    /** The line for a reading (the inverse of {@link #parse}). */
    public static String format(SensorReading r, boolean labelled) {
        StringBuilder sb = new StringBuilder().append(r.sensorId).append(',').append(r.timestampMillis);
        for (float v : r.values) sb.append(',').append(v);
        if (labelled) sb.append(',').append(r.label < 0 ? "" : Integer.toString(r.label));
        return sb.toString();
    }
}
