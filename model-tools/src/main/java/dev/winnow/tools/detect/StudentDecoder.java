package dev.winnow.tools.detect;

import dev.winnow.runtime.kernel.Detection;
import java.util.ArrayList;
import java.util.List;

/** Decodes the trainer's head outputs exactly as the runtime's {@code detect} node does (it reuses its kernel). */
final class StudentDecoder {
    private StudentDecoder() {}

    /** Boxes (x, y, w, h, score), best first. */
    static List<float[]> decode(DetectorNet.Config c, float[] scores, float[] boxes, float threshold, float iou) {
        return decode(c, scores, boxes, new DetectorExport.Decode(threshold, iou));
    }

    static List<float[]> decode(DetectorNet.Config c, float[] scores, float[] boxes, DetectorExport.Decode dc) {
        Detection d = new Detection(c.gridH(), c.gridW(), c.anchorSizes(), DetectorNet.IN_H, DetectorNet.IN_W,
                dc.scoreThreshold(), dc.iouThreshold(), DetectorExport.MAX_DETECTIONS, dc.centerDistance());
        float[] out = new float[5 * DetectorExport.MAX_DETECTIONS], s = new float[d.scratchSize()];
        int n = d.run(scores, 0, boxes, 0, out, 0, s, 0);
        List<float[]> r = new ArrayList<>();
        for (int k = 0; k < n; k++) r.add(java.util.Arrays.copyOfRange(out, 5 * k, 5 * k + 5));
        return r;
    }
}
