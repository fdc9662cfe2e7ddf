package dev.winnow.connectors.avro;

import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.types.TeacherRequest;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import dev.winnow.flink.types.ZoneEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.function.UnaryOperator;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.function.SerializableFunction;

/**
 * One POJO type and its Avro record: raw Avro binary (no single-object header, no schema registry
 * framing; the format Flink's {@code AvroDeserializationSchema.forSpecific} reads) in both
 * directions. Jobs work on the POJOs; the wire carries the Avro records.
 *
 * <pre>{@code
 * byte[] bytes = AvroFormat.FRAME.encode(frame);
 * Frame back = AvroFormat.FRAME.decode(bytes);            // IOException on malformed bytes
 * DeserializationSchema<Frame> d = AvroFormat.FRAME.deserializer();
 * }</pre>
 *
 * @param <P> the POJO type (flink-operators)
 * @param <A> the generated Avro class
 */
public final class AvroFormat<P, A extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final AvroFormat<Frame, CameraFrame> FRAME =
            new AvroFormat<>(Frame.class, CameraFrame.class, FrameValidation::validate, f -> f.cameraId, f -> f.timestampMillis);
    public static final AvroFormat<SensorReading, dev.winnow.connectors.avro.SensorReading> SENSOR_READING =
            new AvroFormat<>(SensorReading.class, dev.winnow.connectors.avro.SensorReading.class, r -> r, r -> r.sensorId, r -> r.timestampMillis);
    public static final AvroFormat<Verdict, dev.winnow.connectors.avro.Verdict> VERDICT =
            new AvroFormat<>(Verdict.class, dev.winnow.connectors.avro.Verdict.class, v -> v, v -> v.cameraId, v -> v.timestampMillis);
    public static final AvroFormat<RetentionEvent, dev.winnow.connectors.avro.RetentionEvent> RETENTION_EVENT =
            new AvroFormat<>(RetentionEvent.class, dev.winnow.connectors.avro.RetentionEvent.class, e -> e, e -> e.cameraId, e -> e.endMillis);
    public static final AvroFormat<ZoneCount, dev.winnow.connectors.avro.ZoneCount> ZONE_COUNT =
            new AvroFormat<>(ZoneCount.class, dev.winnow.connectors.avro.ZoneCount.class, z -> z, z -> z.zone, z -> z.windowEndMillis);
    public static final AvroFormat<ZoneEvents, dev.winnow.connectors.avro.ZoneEvents> ZONE_EVENTS =
            new AvroFormat<>(ZoneEvents.class, dev.winnow.connectors.avro.ZoneEvents.class, z -> z, z -> z.zone, z -> z.windowEndMillis);
    public static final AvroFormat<StaffingWindow, dev.winnow.connectors.avro.StaffingWindow> STAFFING_WINDOW =
            new AvroFormat<>(StaffingWindow.class, dev.winnow.connectors.avro.StaffingWindow.class, w -> w, w -> w.zone, w -> w.windowEndMillis);
    public static final AvroFormat<ModelUpdate, dev.winnow.connectors.avro.ModelUpdate> MODEL_UPDATE =
            new AvroFormat<>(ModelUpdate.class, dev.winnow.connectors.avro.ModelUpdate.class, u -> u, u -> u.modelName, u -> u.timestampMillis);
    public static final AvroFormat<SensorEvent, dev.winnow.connectors.avro.SensorEvent> SENSOR_EVENT =
            new AvroFormat<>(SensorEvent.class, dev.winnow.connectors.avro.SensorEvent.class, e -> e, e -> e.sensorId, e -> e.windowEndMillis);
    public static final AvroFormat<TeacherRequest, dev.winnow.connectors.avro.TeacherRequest> TEACHER_REQUEST =
            new AvroFormat<>(TeacherRequest.class, dev.winnow.connectors.avro.TeacherRequest.class, r -> r, r -> r.cameraId, r -> r.timestampMillis);
    public static final AvroFormat<AdaptRequest, dev.winnow.connectors.avro.AdaptRequest> ADAPT_REQUEST =
            new AvroFormat<>(AdaptRequest.class, dev.winnow.connectors.avro.AdaptRequest.class, r -> r, r -> r.cameraId, r -> r.timestampMillis);

    private final Class<P> pojoClass;
    private final Class<A> avroClass;
    private final SerializableUnaryOperator<P> validate;
    private final SerializableFunction<P, String> key;
    private final SerializableFunction<P, Long> eventTime;
    /** Built from the two classes on first use (reflection objects do not serialize). */
    private transient RecordMapping<P, A> mapping;

    /** A validation step that throws {@link IllegalArgumentException} for a decoded but unusable record. */
    public interface SerializableUnaryOperator<T> extends UnaryOperator<T>, Serializable {}

    /**
     * A format whose fields map by name (see {@link RecordMapping} for the rules); the mapping is checked
     * here, so a POJO that does not fit the schema fails at once with the field named.
     *
     * @param key       the Kafka record key (camera, sensor, zone or model name), so one key stays in one partition, in order
     * @param eventTime the record's own time, written as the Kafka record timestamp
     */
    public AvroFormat(Class<P> pojoClass, Class<A> avroClass, SerializableUnaryOperator<P> validate,
                      SerializableFunction<P, String> key, SerializableFunction<P, Long> eventTime) {
        this.pojoClass = pojoClass;
        this.avroClass = avroClass;
        this.validate = validate;
        this.key = key;
        this.eventTime = eventTime;
        this.mapping = new RecordMapping<>(pojoClass, avroClass);
    }

    private RecordMapping<P, A> mapping() {
        if (mapping == null) mapping = new RecordMapping<>(pojoClass, avroClass);
        return mapping;
    }

    public Class<P> pojoClass() {
        return pojoClass;
    }

    public Class<A> avroClass() {
        return avroClass;
    }

    /** The Kafka record key of a value. */
    public SerializableFunction<P, String> key() {
        return key;
    }

    /** The Kafka record timestamp of a value: its own event time. */
    public SerializableFunction<P, Long> eventTime() {
        return eventTime;
    }

    public A toAvro(P pojo) {
        return mapping().toAvro(pojo);
    }

    public P fromAvro(A avro) {
        return mapping().fromAvro(avro);
    }

    /** A (de)serializer pair's state; not thread-safe, one per schema instance. */
    final class Codec {
        private final SpecificDatumReader<A> reader = new SpecificDatumReader<>(avroClass);
        private final SpecificDatumWriter<A> writer = new SpecificDatumWriter<>(avroClass);
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        private BinaryDecoder decoder;
        private BinaryEncoder encoder;
        private A reuse;

        byte[] encode(P pojo) {
            out.reset();
            encoder = EncoderFactory.get().binaryEncoder(out, encoder);
            try {
                writer.write(toAvro(pojo), encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode " + pojo, e);
            }
            return out.toByteArray();
        }

        /** Decodes one record that must fill {@code bytes} exactly; any problem is an IOException. */
        P decode(byte[] bytes) throws IOException {
            if (bytes == null || bytes.length == 0) throw new IOException("empty record");
            decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
            try {
                reuse = reader.read(null, new BoundedDecoder(decoder));
                if (!decoder.isEnd()) throw new IOException("trailing bytes after the " + avroClass.getSimpleName() + " record");
                return validate.apply(fromAvro(reuse));
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                // Avro reports garbage as AvroRuntimeException, ArrayIndexOutOfBounds (enum/union index), ...
                // (lengths beyond the record's end are refused by BoundedDecoder before any allocation)
                throw new IOException("not a valid " + avroClass.getSimpleName() + ": " + e, e);
            }
        }
    }

    Codec newCodec() {
        return new Codec();
    }

    /** Encodes one POJO as raw Avro binary (convenience; allocates a codec per call). */
    public byte[] encode(P pojo) {
        return new Codec().encode(pojo);
    }

    /** Decodes raw Avro binary into a POJO; IOException when the bytes are not a valid record. */
    public P decode(byte[] bytes) throws IOException {
        return new Codec().decode(bytes);
    }

    /** Flink serializer writing raw Avro binary of the POJO. */
    public PojoAvroSerializationSchema<P> serializer() {
        return new PojoAvroSerializationSchema<>(this);
    }

    /**
     * Flink deserializer reading raw Avro binary into the POJO. It throws on malformed input; wrap it
     * with {@link SkipMalformedDeserializationSchema} (or use the Kafka builders, which do) to skip.
     */
    public PojoAvroDeserializationSchema<P> deserializer() {
        return new PojoAvroDeserializationSchema<>(this);
    }

    @Override
    public String toString() {
        return "AvroFormat{" + pojoClass.getSimpleName() + " <-> " + avroClass.getName() + "}";
    }
}
