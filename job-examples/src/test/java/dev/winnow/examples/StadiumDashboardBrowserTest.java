package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.io.Samples;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.examples.report.StaffingReport;
import dev.winnow.examples.testing.HeadlessChromium;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.zone.ZoneConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * stadium-staffing's live dashboard in headless Chromium ({@link HeadlessChromium}) while the job runs
 * on the sample (replayed at 4 frames/s, 10 s; its zones.yaml has gates and a dwell polygon): the browser is open before the job starts, loads the
 * page as soon as the sink's server answers, and reads what the page shows every 250 ms. Every zone
 * window and gate/dwell row it showed must be the job's own output for the same window (schedule and
 * flows part files, read after the job). Prints the time from job start to the first numbers drawn
 * (the goal is 5 s; not asserted: the machine's load decides it). With
 * {@code -Ddashboard.screenshot=FILE} it also saves the page as PNG.
 */
class StadiumDashboardBrowserTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    @TempDir Path tmp;

    /** Each zone card's window and figures and each flow row, as the page's DOM holds them now. */
    static final String SNAPSHOT = """
            JSON.stringify({
              first: document.body ? (document.body.dataset.firstNumbersAt || null) : null,
              update: document.body ? (document.body.dataset.firstUpdateAt || null) : null,
              zones: [...document.querySelectorAll('section.zone[data-start]')].map(s => ({
                zone: s.dataset.zone, start: s.dataset.start, history: Number(s.dataset.history),
                now: Object.fromEntries([...s.querySelectorAll('[data-now]')].map(e => [e.dataset.now, e.textContent])),
                cameras: [...s.querySelectorAll('tr[data-camera]')].map(r => ({camera: r.dataset.camera, start: r.dataset.start,
                  frames: r.querySelector('[data-frames]').dataset.frames, silent: r.querySelector('[data-field=silent_s]').textContent,
                  state: r.querySelector('[data-field=degraded]').textContent})),
                flows: [...s.querySelectorAll('tr[data-flow]')].map(r => Object.assign({flow: r.dataset.flow, start: r.dataset.start},
                  Object.fromEntries([...r.querySelectorAll('[data-field]')].map(e => [e.dataset.field, e.textContent]))))
              }))
            })""";

    @Test
    void theDashboardShowsTheJobsOwnWindowsWhileItRuns() throws Exception {
        String chromium = HeadlessChromium.find();
        assertTrue(chromium != null, "chromium is not installed (scripts/install-deps.sh installs it; CI must have it)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path concourse = Samples.dir().resolve("frames/concourse"), out = tmp.resolve("out");
        StadiumStaffingJob job = new StadiumStaffingJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.yaml").toString(),
                "--camera", "north-1=" + concourse.resolve("north-1"), "--camera", "north-2=" + concourse.resolve("north-2"),
                "--camera", "south-1=" + concourse.resolve("south-1"), "--fps", "4",
                "--dashboard-port", String.valueOf(port));
        ZoneConfig zones = ZoneFile.read(job.zones);
        String url = "http://127.0.0.1:" + port + "/";

        List<JsonNode> shown = new ArrayList<>();
        long started, firstNumbers = -1, firstUpdate = -1, running = -1, answered = -1;
        try (HeadlessChromium browser = HeadlessChromium.start(chromium, tmp.resolve("profile"), 900, 500)) {
            StreamExecutionEnvironment env = TestJobs.env(2);
            job.build(env, zones);
            started = System.currentTimeMillis();
            JobClient client = env.executeAsync("stadium-staffing dashboard test");
            boolean loaded = false, shot = false;
            for (org.apache.flink.api.common.JobStatus status; !(status = client.getJobStatus().get()).isTerminalState(); ) {
                if (running < 0 && status == org.apache.flink.api.common.JobStatus.RUNNING) running = System.currentTimeMillis();
                if (!loaded) {
                    // the server starts with the sink's task: until then the navigation is refused
                    try {
                        browser.navigate(url);
                        loaded = true;
                        answered = System.currentTimeMillis();
                    } catch (java.io.IOException refused) {
                        Thread.sleep(100);
                    }
                    continue;
                }
                JsonNode snap = HeadlessChromium.parse(browser.evaluate(SNAPSHOT).asText());
                if (!snap.path("zones").isEmpty()) {
                    shown.add(snap);
                    if (firstNumbers < 0) {
                        firstNumbers = snap.path("first").asLong();
                        firstUpdate = snap.path("update").asLong();
                    }
                    if (!shot && snap.path("zones").get(0).path("history").asInt() >= 7) {
                        shot = true;
                        screenshot(browser.screenshot());
                    }
                }
                Thread.sleep(250);
            }
            client.getJobExecutionResult().get();
            assertTrue(loaded, "the page loaded while the job ran: " + browser.log());
        }
        assertFalse(shown.isEmpty(), "the page showed windows while the job ran");
        assertTrue(firstNumbers > 0, "the page stamped its first numbers");
        System.out.printf(Locale.ROOT, "stadium-staffing dashboard: first numbers in the browser %d ms after the job started (job running at %d ms, "
                + "page served at %d ms, first record at the sink at %d ms); %d snapshots read while it ran%n", firstNumbers - started, running - started,
                answered - started, firstUpdate - started, shown.size());

        // what the job wrote, for the same windows
        Map<String, StaffingReport.Scheduled> schedule = new HashMap<>();
        for (StaffingReport.Scheduled s : StaffingReport.read(out, zones).schedule()) schedule.put(s.zone() + "@" + s.start(), s);
        // TrackFlows emits a window a second time when a frame of it comes after the watermark closed it (it has no
        // emitted-up-to guard; one run in five here, e.g. a camera source marked idle under load): the page shows the
        // record it received last, which must be one of the job's records for that window
        Map<String, List<String[]>> flows = new HashMap<>();
        for (String[] f : CsvFiles.read(out.resolve("flows"))) flows.computeIfAbsent(f[0] + "/" + f[2] + "@" + f[3], k -> new ArrayList<>()).add(f);
        // frames per camera and window, from the job's counts
        Map<String, Integer> frames = new HashMap<>();
        for (String[] c : CsvFiles.read(out.resolve("counts"))) {
            long t = Long.parseLong(c[2]);
            frames.merge(c[0] + "@" + Math.floorDiv(t, zones.windowMillis) * zones.windowMillis, 1, Integer::sum);
        }
        TreeSet<String> windowsSeen = new TreeSet<>();
        int flowRows = 0, cameraRows = 0;
        for (JsonNode snap : shown) {
            for (JsonNode z : snap.path("zones")) {
                String key = z.path("zone").asText() + "@" + z.path("start").asText();
                StaffingReport.Scheduled s = schedule.get(key);
                assertNotNull(s, "the page showed window " + key + " which the job's schedule has");
                windowsSeen.add(key);
                JsonNode now = z.path("now");
                assertEquals(String.format(Locale.ROOT, "%.2f", s.mean()), now.path("occupancy_mean").asText(), key);
                assertEquals(String.valueOf(s.max()), now.path("occupancy_max").asText(), key);
                assertEquals(String.valueOf(s.inflow()), now.path("inflow").asText(), key);
                assertEquals(String.valueOf(s.outflow()), now.path("outflow").asText(), key);
                assertEquals(s.dwellP90(), Double.parseDouble(now.path("dwell_p90_s").asText()), 0.051, key);
                assertEquals(String.valueOf(s.staff()), now.path("staff").asText(), key);
                assertEquals(s.degraded() ? "yes" : "no", now.path("degraded").asText(), key);
                assertTrue(z.path("history").asInt() >= 1, key);
                for (JsonNode c : z.path("cameras")) {
                    if (c.path("start").asText().isEmpty()) continue; // no window of that camera yet
                    String ck = c.path("camera").asText() + "@" + c.path("start").asText();
                    assertEquals(String.valueOf(frames.get(ck)), c.path("frames").asText(), "frames of " + ck + " against the job's counts");
                    if (c.path("state").asText().equals("degraded")) assertTrue(Double.parseDouble(c.path("silent").asText()) >= 5.0, ck);
                    cameraRows++;
                }
                for (JsonNode f : z.path("flows")) {
                    String fk = f.path("flow").asText() + "@" + f.path("start").asText();
                    List<String[]> rows = flows.get(fk);
                    assertNotNull(rows, "the page showed flow window " + fk + " which the job's flows have");
                    flowRows++;
                    List<String> written = new ArrayList<>();
                    for (String[] row : rows) {
                        written.add(row[1].equals("line") ? "in " + row[5] + " out " + row[6]
                                : String.format(Locale.ROOT, "p50 %.1f p90 %.1f", Double.parseDouble(row[8]), Double.parseDouble(row[9])));
                    }
                    String page = f.path("in").asText().isEmpty()
                            ? String.format(Locale.ROOT, "p50 %.1f p90 %.1f", Double.parseDouble(f.path("dwell_p50_s").asText()), Double.parseDouble(f.path("dwell_p90_s").asText()))
                            : "in " + f.path("in").asText() + " out " + f.path("out").asText();
                    assertTrue(written.contains(page), fk + ": the page shows " + page + ", the job wrote " + written);
                }
            }
        }
        List<String> twice = flows.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        System.out.printf(Locale.ROOT, "stadium-staffing dashboard: %d distinct zone windows, %d flow rows and %d camera rows shown, each equal to the job's "
                + "output%n", windowsSeen.size(), flowRows, cameraRows);
        // TrackFlows emits each window once (a late frame counts in the next one)
        assertEquals(List.of(), twice, "flow windows the job emitted more than once");
        assertTrue(windowsSeen.size() >= 4, "the page moved on with the job (several windows per zone): " + windowsSeen);
        assertTrue(flowRows > 0, "the gate and dwell rows were shown");
        assertTrue(cameraRows > 0, "the camera rows were shown");
    }

    private void screenshot(byte[] png) throws Exception {
        Files.write(tmp.resolve("dashboard.png"), png);
        String to = System.getProperty("dashboard.screenshot");
        if (to != null && !to.isBlank()) {
            Files.write(Path.of(to), png);
            System.out.println("stadium-staffing dashboard: screenshot " + to + " (" + png.length + " bytes)");
        }
    }

    /** A port taken between the check and the task's start: the job fails, its cause one line naming the port. */
    @Test
    void aPortTakenAfterTheCheckFailsTheJob(@TempDir Path out) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StadiumStaffingJob job = new StadiumStaffingJob();
        Path concourse = Samples.dir().resolve("frames/concourse");
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.yaml").toString(),
                "--camera", "south-1=" + concourse.resolve("south-1"), "--dashboard-port", String.valueOf(port));
        StreamExecutionEnvironment env = TestJobs.env(2);
        job.build(env, ZoneFile.read(job.zones));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            Exception e = assertThrows(Exception.class, () -> env.execute("dashboard port taken"));
            String cause = org.apache.flink.util.ExceptionUtils.findThrowable(e, t -> t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("--dashboard-port"))
                    .map(Throwable::getMessage).orElseThrow(() -> new AssertionError("no dashboard cause in " + org.apache.flink.util.ExceptionUtils.stringifyException(e)));
            assertEquals("--dashboard-port " + port + ": 127.0.0.1:" + port + " is in use (or not an address of this machine)", cause);
        }
    }
}
