package dev.winnow.examples.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The dashboard page ({@code dashboard.html} beside this class): polls {@code api/zones} every 0.5 s and draws one card per zone (occupancy now,
 * a chart of the last hour's mean and max, in/out flows, dwell p50/p90 per dwell polygon, staff, alerts,
 * degraded, and per camera its frames in its last window and how long it has been silent). Each figure's element names it: {@code data-now} for the zone's window, {@code data-field}
 * in a flow row ({@code data-flow}), so a test reads what the page shows; {@code body[data-first-numbers-at]} is the epoch millisecond the first window was drawn,
 * {@code data-first-update-at} when the sink received its first record.
 */
final class DashboardPage {
    private DashboardPage() {}

    static String html() {
        try (InputStream in = DashboardPage.class.getResourceAsStream("dashboard.html")) {
            if (in == null) throw new IllegalStateException("dashboard.html is missing from the job jar");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard.html: " + e.getMessage(), e);
        }
    }
}
