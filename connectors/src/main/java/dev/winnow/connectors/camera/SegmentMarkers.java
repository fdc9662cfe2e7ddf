package dev.winnow.connectors.camera;

import dev.winnow.flink.types.CameraStatus;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.Segment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Separates a recording camera's {@link Frame#segmentMarker segment markers} and
 * {@link Frame#statusMarker status markers} (gaps, failures) from its frames: frames go on, segments
 * to {@link #SEGMENTS}, statuses to {@link #STATUS}. Stateless.
 */
public final class SegmentMarkers extends ProcessFunction<Frame, Frame> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<Segment> SEGMENTS = new OutputTag<>("camera-segments") {};

    public static final OutputTag<CameraStatus> STATUS = new OutputTag<>("camera-status") {};

    @Override
    public void processElement(Frame f, Context ctx, Collector<Frame> out) {
        if (f.isSegmentMarker()) ctx.output(SEGMENTS, f.segment);
        else if (f.isStatusMarker()) ctx.output(STATUS, f.status);
        else out.collect(f);
    }
}
