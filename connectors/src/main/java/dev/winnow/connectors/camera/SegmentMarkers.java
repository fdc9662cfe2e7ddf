package dev.winnow.connectors.camera;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.Segment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Separates a recording camera's {@link Frame#segmentMarker segment markers} from its frames: frames
 * go on, segments to {@link #SEGMENTS}. Stateless.
 */
public final class SegmentMarkers extends ProcessFunction<Frame, Frame> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<Segment> SEGMENTS = new OutputTag<>("camera-segments") {};

    @Override
    public void processElement(Frame f, Context ctx, Collector<Frame> out) {
        if (f.isSegmentMarker()) ctx.output(SEGMENTS, f.segment);
        else out.collect(f);
    }
}
