package dev.winnow.examples.live;

/**
 * Which model version decided one record of one camera or sensor, and when (event time).
 *
 * @param positive the record's verdict was positive (a person in the frame, a relevant window)
 */
public record ModelStamp(String key, String model, int version, long timeMillis, boolean positive) {}
