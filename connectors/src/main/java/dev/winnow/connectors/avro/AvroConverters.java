package dev.winnow.connectors.avro;

import dev.winnow.flink.types.Frame;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between the generated Avro records (the wire format on Kafka) and the flink-operators POJOs
 * (what jobs work on), in both directions. "Unknown" in a POJO ({@code -1} for a label or count) is
 * {@code null} in Avro.
 */
public final class AvroConverters {
    private AvroConverters() {}

    // ---- frames ----

    public static CameraFrame toAvro(Frame f) {
        return CameraFrame.newBuilder()
                .setCameraId(f.cameraId)
                .setSeq(f.seq)
                .setTimestampMillis(Instant.ofEpochMilli(f.timestampMillis))
                .setEncoding(FrameEncoding.valueOf(f.encoding.name()))
                .setWidth(f.width)
                .setHeight(f.height)
                .setData(ByteBuffer.wrap(f.data == null ? new byte[0] : f.data))
                .setLabelCount(f.labelCount < 0 ? null : f.labelCount)
                .build();
    }

    public static Frame fromAvro(CameraFrame a) {
        Frame f = new Frame(a.getCameraId(), a.getSeq(), a.getTimestampMillis().toEpochMilli(),
                dev.winnow.flink.types.FrameEncoding.valueOf(a.getEncoding().name()),
                a.getWidth(), a.getHeight(), bytes(a.getData()));
        f.labelCount = a.getLabelCount() == null ? -1 : a.getLabelCount();
        return f;
    }

    /**
     * Checks what a decoder cannot: sizes that agree with the encoding. Throws
     * {@link IllegalArgumentException} naming the problem.
     */
    public static Frame validate(Frame f) {
        if (f.cameraId == null || f.cameraId.isEmpty()) throw new IllegalArgumentException("empty cameraId");
        if (f.seq < 0) throw new IllegalArgumentException("negative seq " + f.seq);
        if (f.width <= 0 || f.height <= 0 || (long) f.width * f.height > 100_000_000L) {
            throw new IllegalArgumentException("bad size " + f.width + "x" + f.height);
        }
        long expected = switch (f.encoding) {
            case GRAY8 -> (long) f.width * f.height;
            case RGB24 -> 3L * f.width * f.height;
            case JPEG -> -1;
        };
        int n = f.sizeBytes();
        if (expected >= 0 && n != expected) {
            throw new IllegalArgumentException(f.encoding + " " + f.width + "x" + f.height + " needs " + expected
                    + " bytes, got " + n);
        }
        if (f.encoding == dev.winnow.flink.types.FrameEncoding.JPEG
                && (n < 4 || (f.data[0] & 0xFF) != 0xFF || (f.data[1] & 0xFF) != 0xD8)) {
            throw new IllegalArgumentException("JPEG data does not start with the SOI marker");
        }
        return f;
    }

    // ---- sensor readings ----

    public static SensorReading toAvro(dev.winnow.flink.types.SensorReading r) {
        List<Float> values = new ArrayList<>(r.values == null ? 0 : r.values.length);
        if (r.values != null) for (float v : r.values) values.add(v);
        return SensorReading.newBuilder()
                .setSensorId(r.sensorId)
                .setTimestampMillis(Instant.ofEpochMilli(r.timestampMillis))
                .setValues(values)
                .setLabel(r.label < 0 ? null : r.label)
                .build();
    }

    public static dev.winnow.flink.types.SensorReading fromAvro(SensorReading a) {
        List<Float> in = a.getValues();
        float[] values = new float[in.size()];
        for (int i = 0; i < values.length; i++) values[i] = in.get(i);
        dev.winnow.flink.types.SensorReading r = new dev.winnow.flink.types.SensorReading(
                a.getSensorId(), a.getTimestampMillis().toEpochMilli(), values);
        r.label = a.getLabel() == null ? -1 : a.getLabel();
        return r;
    }

    // ---- verdicts ----

    public static Verdict toAvro(dev.winnow.flink.types.Verdict v) {
        List<Float> boxes = new ArrayList<>(v.boxes == null ? 0 : v.boxes.length);
        if (v.boxes != null) for (float b : v.boxes) boxes.add(b);
        return Verdict.newBuilder()
                .setCameraId(v.cameraId)
                .setSeq(v.seq)
                .setTimestampMillis(Instant.ofEpochMilli(v.timestampMillis))
                .setScore(v.score)
                .setRawScore(v.rawScore)
                .setCount(v.count)
                .setBoxes(boxes)
                .setModelName(v.modelName == null ? "" : v.modelName)
                .setModelVersion(v.modelVersion)
                .setDecidedBy(v.decidedBy == null ? dev.winnow.flink.types.Verdict.STUDENT : v.decidedBy)
                .build();
    }

    public static dev.winnow.flink.types.Verdict fromAvro(Verdict a) {
        dev.winnow.flink.types.Verdict v = new dev.winnow.flink.types.Verdict();
        v.cameraId = a.getCameraId();
        v.seq = a.getSeq();
        v.timestampMillis = a.getTimestampMillis().toEpochMilli();
        v.score = a.getScore();
        v.count = a.getCount();
        List<Float> in = a.getBoxes();
        v.boxes = new float[in.size()];
        for (int i = 0; i < v.boxes.length; i++) v.boxes[i] = in.get(i);
        v.modelName = a.getModelName();
        v.modelVersion = a.getModelVersion();
        v.decidedBy = a.getDecidedBy();
        v.rawScore = a.getRawScore();
        return v;
    }

    // ---- retention events ----

    public static RetentionEvent toAvro(dev.winnow.flink.types.RetentionEvent e) {
        return RetentionEvent.newBuilder()
                .setCameraId(e.cameraId)
                .setEventId(e.eventId)
                .setStartMillis(Instant.ofEpochMilli(e.startMillis))
                .setEndMillis(Instant.ofEpochMilli(e.endMillis))
                .setPeakCount(e.peakCount)
                .setPeakScore(e.peakScore)
                .setFramesKept(e.framesKept)
                .setBytesKept(e.bytesKept)
                .build();
    }

    public static dev.winnow.flink.types.RetentionEvent fromAvro(RetentionEvent a) {
        dev.winnow.flink.types.RetentionEvent e = new dev.winnow.flink.types.RetentionEvent();
        e.cameraId = a.getCameraId();
        e.eventId = a.getEventId();
        e.startMillis = a.getStartMillis().toEpochMilli();
        e.endMillis = a.getEndMillis().toEpochMilli();
        e.peakCount = a.getPeakCount();
        e.peakScore = a.getPeakScore();
        e.framesKept = a.getFramesKept();
        e.bytesKept = a.getBytesKept();
        return e;
    }

    // ---- zone counts ----

    public static ZoneCount toAvro(dev.winnow.flink.types.ZoneCount z) {
        return ZoneCount.newBuilder()
                .setZone(z.zone)
                .setWindowStartMillis(Instant.ofEpochMilli(z.windowStartMillis))
                .setWindowEndMillis(Instant.ofEpochMilli(z.windowEndMillis))
                .setMeanCount(z.meanCount)
                .setMaxCount(z.maxCount)
                .setOvercrowded(z.overcrowded)
                .setStaffRecommended(z.staffRecommended)
                .build();
    }

    public static dev.winnow.flink.types.ZoneCount fromAvro(ZoneCount a) {
        dev.winnow.flink.types.ZoneCount z = new dev.winnow.flink.types.ZoneCount();
        z.zone = a.getZone();
        z.windowStartMillis = a.getWindowStartMillis().toEpochMilli();
        z.windowEndMillis = a.getWindowEndMillis().toEpochMilli();
        z.meanCount = a.getMeanCount();
        z.maxCount = a.getMaxCount();
        z.overcrowded = a.getOvercrowded();
        z.staffRecommended = a.getStaffRecommended();
        return z;
    }

    // ---- model updates ----

    public static ModelUpdate toAvro(dev.winnow.flink.types.ModelUpdate u) {
        return ModelUpdate.newBuilder()
                .setSequence(u.sequence)
                .setModelName(u.modelName)
                .setAlias(u.alias)
                .setVersion(u.version)
                .setSha256(u.sha256)
                .setTimestampMillis(Instant.ofEpochMilli(u.timestampMillis))
                .build();
    }

    public static dev.winnow.flink.types.ModelUpdate fromAvro(ModelUpdate a) {
        return new dev.winnow.flink.types.ModelUpdate(a.getSequence(), a.getModelName(), a.getAlias(),
                a.getVersion(), a.getSha256(), a.getTimestampMillis().toEpochMilli());
    }

    // ---- sensor events ----

    public static SensorEvent toAvro(dev.winnow.flink.types.SensorEvent e) {
        return SensorEvent.newBuilder()
                .setSensorId(e.sensorId)
                .setWindowStartMillis(Instant.ofEpochMilli(e.windowStartMillis))
                .setWindowEndMillis(Instant.ofEpochMilli(e.windowEndMillis))
                .setReadings(e.readings)
                .setClassIndex(e.classIndex)
                .setLabel(e.label)
                .setScore(e.score)
                .setModelName(e.modelName == null ? "" : e.modelName)
                .setModelVersion(e.modelVersion)
                .build();
    }

    public static dev.winnow.flink.types.SensorEvent fromAvro(SensorEvent a) {
        dev.winnow.flink.types.SensorEvent e = new dev.winnow.flink.types.SensorEvent();
        e.sensorId = a.getSensorId();
        e.windowStartMillis = a.getWindowStartMillis().toEpochMilli();
        e.windowEndMillis = a.getWindowEndMillis().toEpochMilli();
        e.readings = a.getReadings();
        e.classIndex = a.getClassIndex();
        e.label = a.getLabel();
        e.score = a.getScore();
        e.modelName = a.getModelName();
        e.modelVersion = a.getModelVersion();
        return e;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
