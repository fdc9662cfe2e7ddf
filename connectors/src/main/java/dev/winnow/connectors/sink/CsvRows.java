package dev.winnow.connectors.sink;

import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Header-free CSV rows (RFC 4180 quoting where a text field needs it; {@code \n} line ends) for the
 * events and counts jobs emit. Columns:
 * <ul>
 *   <li>RetentionEvent: cameraId,eventId,startMillis,endMillis,peakCount,peakScore,framesKept,bytesKept</li>
 *   <li>ZoneCount: zone,windowStartMillis,windowEndMillis,meanCount,maxCount,overcrowded,staffRecommended</li>
 *   <li>SensorEvent: sensorId,windowStartMillis,windowEndMillis,readings,classIndex,label,score,modelName,modelVersion</li>
 *   <li>Verdict: cameraId,seq,timestampMillis,score,count,modelName,modelVersion,boxes (space-separated numbers)</li>
 *   <li>SensorReading: sensorId,timestampMillis,value1..valueN,label (empty when unknown), the CSV replay format</li>
 * </ul>
 */
public final class CsvRows {
    private CsvRows() {}

    public static String row(RetentionEvent e) {
        return String.join(",", text(e.cameraId), Long.toString(e.eventId), Long.toString(e.startMillis),
                Long.toString(e.endMillis), Integer.toString(e.peakCount), Float.toString(e.peakScore),
                Long.toString(e.framesKept), Long.toString(e.bytesKept));
    }

    public static String row(ZoneCount z) {
        return String.join(",", text(z.zone), Long.toString(z.windowStartMillis), Long.toString(z.windowEndMillis),
                Double.toString(z.meanCount), Integer.toString(z.maxCount), Boolean.toString(z.overcrowded),
                Integer.toString(z.staffRecommended));
    }

    public static String row(SensorEvent e) {
        return String.join(",", text(e.sensorId), Long.toString(e.windowStartMillis), Long.toString(e.windowEndMillis),
                Integer.toString(e.readings), Integer.toString(e.classIndex), text(e.label), Float.toString(e.score),
                text(e.modelName), Integer.toString(e.modelVersion));
    }

    public static String row(Verdict v) {
        StringBuilder boxes = new StringBuilder();
        if (v.boxes != null) {
            for (int i = 0; i < v.boxes.length; i++) {
                if (i > 0) boxes.append(' ');
                boxes.append(v.boxes[i]);
            }
        }
        return String.join(",", text(v.cameraId), Long.toString(v.seq), Long.toString(v.timestampMillis),
                Float.toString(v.score), Integer.toString(v.count), text(v.modelName), Integer.toString(v.modelVersion),
                boxes.toString());
    }

    public static String row(SensorReading r) {
        StringBuilder b = new StringBuilder(text(r.sensorId)).append(',').append(r.timestampMillis);
        if (r.values != null) for (float v : r.values) b.append(',').append(v);
        return b.append(',').append(r.label < 0 ? "" : Integer.toString(r.label)).toString();
    }

    /** A text field, quoted when it holds a comma, a quote or a line break; null is empty. */
    public static String text(String s) {
        if (s == null) return "";
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** A FileSink row encoder writing {@code row(element) + "\n"} in UTF-8. */
    public static <T> Encoder<T> encoder(SerializableFunction<T, String> row) {
        return new RowEncoder<>(row);
    }

    private static final class RowEncoder<T> implements Encoder<T> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, String> row;

        RowEncoder(SerializableFunction<T, String> row) {
            this.row = row;
        }

        @Override
        public void encode(T element, OutputStream stream) throws IOException {
            stream.write((row.apply(element) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
