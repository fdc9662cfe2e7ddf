package dev.winnow.examples.live;

/** Which model version decided one record of one camera or sensor, and when (event time). */
public class ModelStamp {
    public String key;
    public String model;
    public int version;
    public long timeMillis;
    /** The record's verdict was positive (a person in the frame, a relevant window). */
    public boolean positive;

    public ModelStamp() {}

    public ModelStamp(String key, String model, int version, long timeMillis, boolean positive) {
        this.key = key;
        this.model = model;
        this.version = version;
        this.timeMillis = timeMillis;
        this.positive = positive;
    }
}
