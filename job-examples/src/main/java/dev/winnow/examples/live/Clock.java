package dev.winnow.examples.live;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The one time zone the jobs print and chart clock times in: the JVM's default zone (set
 * {@code -Duser.timezone=…} to change it), so console lines and report axes agree.
 */
public final class Clock {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Clock() {}

    public static ZoneId zone() {
        return ZoneId.systemDefault();
    }

    /** {@code HH:mm:ss} of an epoch-millisecond instant. */
    public static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone()));
    }
}
