package dev.winnow.connectors.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.testing.Frames;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.flink.types.Verdict;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.AvroDeserializationSchema;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class AvroFormatTest {

    @Test
    void frameRoundTripsThroughAvroAndBytes() throws Exception {
        Frame f = Frames.gray("cam-1", 42, 1_700_000_000_123L, 16, 8);
        f.labelCount = 3;
        CameraFrame a = AvroFormat.FRAME.toAvro(f);
        assertEquals("cam-1", a.getCameraId());
        assertEquals(1_700_000_000_123L, a.getTimestampMillis().toEpochMilli());
        assertEquals(dev.winnow.connectors.avro.FrameEncoding.GRAY8, a.getEncoding());
        assertEquals(3, a.getLabelCount());
        assertEquals(f, AvroFormat.FRAME.fromAvro(a));
        assertEquals(f, AvroFormat.FRAME.decode(AvroFormat.FRAME.encode(f)));

        Frame unlabelled = new Frame("c", 0, 5, FrameEncoding.JPEG, 32, 24, Frames.jpeg(1, 32, 24));
        assertNull(AvroFormat.FRAME.toAvro(unlabelled).getLabelCount());
        Frame back = AvroFormat.FRAME.decode(AvroFormat.FRAME.encode(unlabelled));
        assertEquals(unlabelled, back);
        assertEquals(-1, back.labelCount);
    }

    @Test
    void bytesAreRawAvroBinaryThatFlinkAvroFormatsReadAndWrite() throws Exception {
        Frame f = Frames.gray("cam-2", 7, 99, 4, 4);
        // what flink-avro's specific-record format reads is exactly what our POJO serializer writes
        AvroDeserializationSchema<CameraFrame> flinkReader = AvroDeserializationSchema.forSpecific(CameraFrame.class);
        CameraFrame a = flinkReader.deserialize(AvroFormat.FRAME.serializer().serialize(f));
        assertEquals(f, AvroFormat.FRAME.fromAvro(a));
        // and the other way round
        byte[] written = AvroSerializationSchema.forSpecific(CameraFrame.class).serialize(AvroFormat.FRAME.toAvro(f));
        PojoAvroDeserializationSchema<Frame> ours = AvroFormat.FRAME.deserializer();
        assertEquals(f, ours.deserialize(written));
        assertTrue(ours.getProducedType() instanceof PojoTypeInfo, "jobs get a Flink POJO type, not Kryo");
    }

    /**
     * Every type but frames (whose pixels must agree with their size, see the frame tests): a record
     * with every schema field set to a value of its own comes back from Avro bytes with each field equal.
     */
    @Test
    void everyFieldOfEveryOtherTypeRoundTrips() throws Exception {
        for (AvroFormat<?, ?> format : List.of(AvroFormat.SENSOR_READING, AvroFormat.VERDICT, AvroFormat.RETENTION_EVENT,
                AvroFormat.ZONE_COUNT, AvroFormat.ZONE_EVENTS, AvroFormat.STAFFING_WINDOW, AvroFormat.MODEL_UPDATE, AvroFormat.SENSOR_EVENT, AvroFormat.TEACHER_REQUEST,
                AvroFormat.ADAPT_REQUEST)) {
            assertEveryFieldRoundTrips(format);
        }
    }

    private static <P> void assertEveryFieldRoundTrips(AvroFormat<P, ?> format) throws Exception {
        P pojo = format.pojoClass().getConstructor().newInstance();
        List<Field> fields = new ArrayList<>();
        int i = 0;
        for (Schema.Field f : SpecificData.get().getSchema(format.avroClass()).getFields()) {
            Field field = format.pojoClass().getField(f.name());
            field.set(pojo, distinctValue(field.getType(), f.name(), ++i));
            fields.add(field);
        }
        P back = format.decode(format.encode(pojo));
        for (Field field : fields) {
            assertTrue(Objects.deepEquals(field.get(pojo), field.get(back)),
                    () -> format + ": " + field.getName() + " changed to " + Arrays.deepToString(new Object[] {get(field, back)}));
        }
    }

    /** A value of {@code type} unlike the defaults and unlike the other fields' ({@code i} numbers the field). */
    private static Object distinctValue(Class<?> type, String name, int i) {
        if (type == String.class) return name + "-" + i;
        if (type == long.class) return 1_700_000_000_000L + i;
        if (type == int.class) return 10 + i;
        if (type == float.class) return 0.5f + i;
        if (type == double.class) return 0.25 + i;
        if (type == boolean.class) return true;
        if (type == byte[].class) return new byte[] {1, 2, (byte) i};
        if (type == float[].class) return new float[] {i, -0.5f, Float.MIN_VALUE};
        if (type.isEnum()) return type.getEnumConstants()[type.getEnumConstants().length - 1];
        throw new AssertionError("no test value for " + type + " " + name);
    }

    private static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownLabelsAndAliasesTravelAsAvroNulls() throws Exception {
        SensorReading unlabelled = new SensorReading("s", 1, new float[0]);
        assertNull(AvroFormat.SENSOR_READING.toAvro(unlabelled).getLabel());
        assertEquals(unlabelled, AvroFormat.SENSOR_READING.decode(AvroFormat.SENSOR_READING.encode(unlabelled)));
        ModelUpdate pinned = new ModelUpdate(13, "people", null, 4, "cd".repeat(32), 556);
        assertNull(AvroFormat.MODEL_UPDATE.decode(AvroFormat.MODEL_UPDATE.encode(pinned)).alias);
    }

    @Test
    void malformedBytesAreRejectedWithIOException() {
        byte[] good = AvroFormat.FRAME.encode(Frames.gray("cam", 1, 2, 4, 4));
        List<byte[]> bad = new ArrayList<>();
        bad.add("this is not avro at all".getBytes(StandardCharsets.UTF_8));
        bad.add(new byte[0]);
        bad.add(Arrays.copyOf(good, good.length - 3));                // truncated
        bad.add(Arrays.copyOf(good, good.length + 2));                // trailing bytes
        byte[] huge = good.clone();
        huge[0] = (byte) 0xFF;                                         // string length varint that never ends well
        bad.add(huge);
        // a record whose data field claims 1.5 GB: refused before anything is allocated
        java.io.ByteArrayOutputStream hugeData = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(hugeData, null);
        try {
            enc.writeString("cam");
            enc.writeLong(1);
            enc.writeLong(2);
            enc.writeEnum(0);
            enc.writeInt(4);
            enc.writeInt(4);
            enc.writeLong(1_500_000_000L);   // bytes length
            enc.writeFixed(new byte[16]);
            enc.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        bad.add(hugeData.toByteArray());
        for (byte[] b : bad) {
            assertThrows(IOException.class, () -> AvroFormat.FRAME.decode(b), () -> Arrays.toString(b));
        }
        IOException tooLong = assertThrows(IOException.class, () -> AvroFormat.FRAME.decode(hugeData.toByteArray()));
        assertTrue(tooLong.getMessage().contains("bytes length 1500000000 exceeds"), tooLong.getMessage());
        // an array claiming more items than bytes left
        SensorReading ok = new SensorReading("s", 1, new float[] {1, 2});
        byte[] arr = AvroFormat.SENSOR_READING.encode(ok);
        assertEquals(4, arr[3], "layout: len, 's', timestamp, item count 2 (zigzag 4), ...");
        arr[3] = (byte) 0x7E;                // item count 63 for 2 floats
        assertThrows(IOException.class, () -> AvroFormat.SENSOR_READING.decode(arr));
        // decodes as Avro but says 4x4 GRAY8 with 20 bytes: not a usable frame
        Frame wrongSize = Frames.gray("cam", 1, 2, 4, 4);
        wrongSize.data = new byte[20];
        byte[] wrong = AvroFormat.FRAME.encode(wrongSize);
        IOException e = assertThrows(IOException.class, () -> AvroFormat.FRAME.decode(wrong));
        assertTrue(e.getMessage().contains("needs 16 bytes, got 20"), e.getMessage());
    }

    @Test
    void kafkaWrapperCountsAndSkipsMalformedRecords() throws Exception {
        SkipMalformedDeserializationSchema<Frame> d = new SkipMalformedDeserializationSchema<>(AvroFormat.FRAME.deserializer());
        List<Frame> out = new ArrayList<>();
        Collector<Frame> c = new Collector<>() {
            @Override public void collect(Frame record) { out.add(record); }
            @Override public void close() {}
        };
        Frame f = Frames.gray("cam", 3, 4, 2, 2);
        d.deserialize(new ConsumerRecord<>("frames", 0, 10, null, AvroFormat.FRAME.encode(f)), c);
        d.deserialize(new ConsumerRecord<>("frames", 0, 11, null, "garbage".getBytes(StandardCharsets.UTF_8)), c);
        d.deserialize(new ConsumerRecord<>("frames", 1, 12, null, null), c);
        d.deserialize(new ConsumerRecord<>("frames", 0, 13, null, AvroFormat.FRAME.encode(f)), c);
        assertEquals(List.of(f, f), out);
        assertEquals(2, d.malformedCount());
        TypeInformation<Frame> type = d.getProducedType();
        assertEquals(Frame.class, type.getTypeClass());
    }

    @Test
    void frameBytesSurviveTheConverterUntouched() {
        byte[] jpeg = Frames.jpeg(3, 40, 30);
        Frame f = new Frame("c", 0, 0, FrameEncoding.JPEG, 40, 30, jpeg);
        assertArrayEquals(jpeg, AvroFormat.FRAME.fromAvro(AvroFormat.FRAME.toAvro(f)).data);
    }

    @Test
    void nullsTakeTheSchemaDefaultOrAreRefused() throws Exception {
        dev.winnow.flink.types.TeacherRequest r = new dev.winnow.flink.types.TeacherRequest();
        r.cameraId = "cam";
        r.encoding = FrameEncoding.GRAY8;
        assertEquals("", AvroFormat.TEACHER_REQUEST.decode(AvroFormat.TEACHER_REQUEST.encode(r)).studentModel);

        Verdict v = new Verdict();
        v.cameraId = "cam";
        v.boxes = null;
        v.decidedBy = null;
        Verdict back = AvroFormat.VERDICT.decode(AvroFormat.VERDICT.encode(v));
        assertEquals("", back.modelName);
        assertEquals(Verdict.STUDENT, back.decidedBy);
        assertEquals(0, back.boxes.length);

        v.cameraId = null;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AvroFormat.VERDICT.encode(v));
        assertTrue(e.getMessage().contains("Verdict.cameraId is null"), e.getMessage());
    }
}
