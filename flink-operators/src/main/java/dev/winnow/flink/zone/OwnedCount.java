package dev.winnow.flink.zone;

import dev.winnow.flink.track.ZonePolygon;
import dev.winnow.flink.types.Verdict;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Sets a verdict's count to the people standing on the floor its camera owns: the boxes whose bottom
 * centre (x + w/2, y + h) lies in one of the camera's owned polygons ({@link ZoneConfig#owned}).
 * Where two cameras see the same floor, only the owner counts it, so nobody is counted twice. A camera
 * with no polygon keeps the detector's count. Detections outside every owned polygon are counted in
 * {@code winnow.unownedDetections}.
 *
 * <p>The verdict is changed in place and returned: nothing is allocated per record. That is safe
 * because the jobs run with object reuse off, where Flink hands each consumer its own copy.
 */
public class OwnedCount extends RichMapFunction<Verdict, Verdict> {
    private static final long serialVersionUID = 1L;

    private final ZoneConfig config;
    private transient Counter unowned;

    public OwnedCount(ZoneConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        unowned = getRuntimeContext().getMetricGroup().addGroup("winnow").counter("unownedDetections");
    }

    @Override
    public Verdict map(Verdict v) {
        List<ZonePolygon> owned = config.owned(v.cameraId);
        // a model without boxes (a classifier's 0/1) cannot be placed on the floor: its count stands
        if (owned.isEmpty() || v.boxes == null || v.boxes.length == 0) return v;
        int rows = v.boxes.length / 5, inside = 0;
        for (int i = 0; i < rows; i++) {
            double x = v.boxes[5 * i] + v.boxes[5 * i + 2] / 2.0, y = v.boxes[5 * i + 1] + v.boxes[5 * i + 3];
            if (ownedBy(owned, x, y)) inside++;
        }
        unowned.inc(rows - inside);
        v.count = inside;
        return v;
    }

    static boolean ownedBy(List<ZonePolygon> owned, double x, double y) {
        for (int k = 0; k < owned.size(); k++) if (owned.get(k).contains(x, y)) return true;
        return false;
    }
}
