package dev.winnow.examples.dashboard;

import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.StaffingWindow;

/**
 * One record for the dashboard sink: a zone's finished schedule window, one of its cameras' gate or
 * dwell windows, or a camera's frames in a window ({@link CameraPulse}: {@code camera} set); exactly one
 * kind per record, so the streams can be unioned into one sink.
 */
public class BoardUpdate {
    public String zone;
    public StaffingWindow window;
    public FlowWindow flow;
    public String camera;
    public long cameraWindowStart;
    public long lastFrameMillis;
    public int frames;

    public BoardUpdate() {}

    public static BoardUpdate of(StaffingWindow w) {
        BoardUpdate u = new BoardUpdate();
        u.zone = w.zone;
        u.window = w;
        return u;
    }

    public static BoardUpdate of(String zone, FlowWindow f) {
        BoardUpdate u = new BoardUpdate();
        u.zone = zone;
        u.flow = f;
        return u;
    }

    /** Camera {@code camera}'s frames in the window from {@code start}: how many, and when the last one was. */
    public static BoardUpdate pulse(String camera, long start, int frames, long lastFrameMillis) {
        BoardUpdate u = new BoardUpdate();
        u.camera = camera;
        u.cameraWindowStart = start;
        u.frames = frames;
        u.lastFrameMillis = lastFrameMillis;
        return u;
    }
}
