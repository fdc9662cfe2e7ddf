package dev.winnow.examples.io;

import picocli.CommandLine.Option;

/**
 * The cascade's two knobs, shared by the jobs' edge cascade ({@link CascadeOptions}) and by
 * {@code cascade-eval}, which measures it: the band of student scores the teacher is asked about,
 * and the difference detector that reuses the last verdict of an unchanged camera. Each gives its
 * own default difference threshold (the jobs: off).
 */
public final class CascadeTuning {
    @Option(names = {"--teacher-band", "--band"}, paramLabel = "low:high", defaultValue = "0.25:0.6",
            description = "student scores sent to the teacher (default: ${DEFAULT-VALUE})")
    String band;

    @Option(names = "--difference", description = "reuse the last verdict while the mean absolute difference of a "
            + "32x24 thumbnail (grey levels 0..1) stays under this; 0 = off (default: ${DEFAULT-VALUE})")
    float difference;

    @Option(names = "--max-reuse", defaultValue = "25", description = "at most this many reused verdicts in a row (default: ${DEFAULT-VALUE})")
    int maxReuse;

    public CascadeTuning(float defaultDifference) {
        this.difference = defaultDifference;
    }

    /** The band as {low, high}; refuses a malformed one with one line. */
    public float[] band() {
        return parseBand(band);
    }

    /** The band's text as given, for reports. */
    public String bandText() {
        return band;
    }

    public float difference() { return difference; }
    public int maxReuse() { return maxReuse; }

    /** {low, high} from {@code low:high} with 0 ≤ low ≤ high ≤ 1. */
    public static float[] parseBand(String s) {
        String[] p = s.split(":");
        try {
            if (p.length == 2) {
                float lo = Float.parseFloat(p[0]), hi = Float.parseFloat(p[1]);
                if (lo >= 0 && lo <= hi && hi <= 1) return new float[] {lo, hi};
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("a band is low:high with 0 <= low <= high <= 1, not '" + s + "'");
    }
}
