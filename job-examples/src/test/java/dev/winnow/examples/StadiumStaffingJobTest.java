package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.JobTest;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.examples.report.StaffingReport;
import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** stadium-staffing on the bundled concourse cameras and detector, on a MiniCluster. */
class StadiumStaffingJobTest extends JobTest {
    /** The concourse sample's three cameras, as --camera options. */
    static List<String> concourseCameras(Path concourse) {
        return List.of("--camera", "north-1=" + concourse.resolve("north-1"), "--camera", "north-2=" + concourse.resolve("north-2"),
                "--camera", "south-1=" + concourse.resolve("south-1"));
    }

    /** Runs stadium-staffing on the concourse sample with its zone file, writing to {@code out}, with {@code more} options; returns the zones. */
    static ZoneConfig runConcourse(String name, Path out, String... more) throws Exception {
        Path concourse = Samples.dir().resolve("frames/concourse");
        List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--zones", concourse.resolve("zones.yaml").toString()));
        args.addAll(concourseCameras(concourse));
        args.addAll(List.of(more));
        StadiumStaffingJob job = new StadiumStaffingJob();
        new CommandLine(job).parseArgs(args.toArray(String[]::new));
        ZoneConfig zones = ZoneFile.read(job.zones);
        TestJobs.execute(name, 2, env -> job.build(env, zones));
        return zones;
    }

    @Test
    void windowsPerZoneWithStaffingAndAChartEach() throws Exception {
        ZoneConfig zones = runConcourse("stadium-staffing test", out);

        StaffingReport report = StaffingReport.read(out, zones);
        assertEquals(120, report.frames(), "40 frames from each of three cameras");
        // 40 frames at 2 frames/s of event time = 20 s per camera, in 2 s windows
        assertEquals(10, report.windows().stream().filter(w -> w.zone().equals("concourse-north")).count());
        assertEquals(10, report.windows().stream().filter(w -> w.zone().equals("concourse-south")).count());
        for (StaffingReport.Window w : report.windows()) {
            int perStaff = zones.zone(w.zone()).peoplePerStaff();
            assertEquals((w.max() + perStaff - 1) / perStaff, w.staff(), "staff = ceil(max occupancy / people per staff)");
            assertTrue(w.mean() <= w.max() + 1e-9);
            assertFalse(w.degraded(), "every camera sends to the end");
        }
        // the schedule: one line per zone window, its occupancy the zone window's, staff by the zone's rule
        Path schedule = report.writeSchedule(out);
        java.util.List<String> lines = Files.readAllLines(schedule);
        assertEquals("zone,window_start,window_end,occupancy_mean,occupancy_max,inflow,outflow,dwell_p90_s,staff,degraded", lines.get(0));
        assertEquals(report.windows().size(), lines.size() - 1);
        assertEquals(report.windows().size(), report.schedule().size());
        for (int i = 0; i < report.schedule().size(); i++) {
            StaffingReport.Scheduled s = report.schedule().get(i);
            StaffingReport.Window w = report.windows().get(i);
            assertEquals(w.zone() + " " + w.start() + " " + w.max(), s.zone() + " " + s.start() + " " + s.max());
            assertEquals(w.mean(), s.mean(), 0.005);
            assertEquals(Math.max(1, w.staff()), s.staff(), "min-staff 1; dwell of seconds against a 2 min target: no queue staff");
        }
        // the sample's gates: a zone window's inflow/outflow is the sum of its cameras' gate windows
        java.util.Map<String, int[]> gates = new java.util.HashMap<>();
        for (String[] r : dev.winnow.examples.io.CsvFiles.read(out.resolve("flows"))) {
            if (!r[1].equals("line")) continue;
            int[] io = gates.computeIfAbsent(zones.zoneOf(r[0]) + "@" + r[3], k -> new int[2]);
            io[0] += Integer.parseInt(r[5]);
            io[1] += Integer.parseInt(r[6]);
        }
        int crossings = 0;
        for (StaffingReport.Scheduled s : report.schedule()) {
            int[] io = gates.getOrDefault(s.zone() + "@" + s.start(), new int[2]);
            assertEquals(io[0] + " in, " + io[1] + " out", s.inflow() + " in, " + s.outflow() + " out", s.zone() + " " + s.start());
            crossings += s.inflow() + s.outflow();
        }
        assertTrue(crossings > 0, "the sample's x200 gates see crossings");
        java.util.List<String> forecast = Files.readAllLines(out.resolve("forecast.csv"));
        assertEquals(1 + 2 * 3, forecast.size(), "three windows ahead per zone");
        System.out.println("stadium-staffing sample " + report.forecastSummary());
        assertEquals(2 * 2, report.forecastError().heldOut(), "the last quarter of 10 windows, per zone");
        assertTrue(report.windows().stream().anyMatch(w -> w.max() > 0), "people counted on the concourse");
        report.writeHtml(out.resolve("report.html"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("zone concourse-north") && html.contains("zone concourse-south"), "one chart per zone");
    }

    /**
     * The sample's cameras are vtest 0-199, 200-399 and 400-599, every 5th frame at 320x240. The hand
     * count of model-tools' vtest gate (flink-operators/src/test/resources/vtest-gate/crossings.csv,
     * line x = 200 of 768, here x = 83.3 of 320) has 5 crossings in those stretches: north-1 one in (186),
     * north-2 two in (207, 255) and one out (302), south-1 one in (531). The sample's zones.yaml holds
     * that gate on each camera and a dwell polygon on south-1; the same lines given as --gate and
     * --dwell-zone options with a zone file of floors only must give the same flow windows, line by line.
     */
    @Test
    void gateCrossingsAndDwellFromTracks(@TempDir Path dir) throws Exception {
        Path concourse = Samples.dir().resolve("frames/concourse");
        Path fromFile = out.resolve("file"), fromOptions = out.resolve("options"), floorsOnly = dir.resolve("floors.yaml");
        runConcourse("stadium-staffing flows test", fromFile);

        String sample = Files.readString(concourse.resolve("zones.yaml"));
        Files.writeString(floorsOnly, sample.replaceAll("(?m)^        - (gate|dwell):.*\\n(^          .*\\n)*", ""));
        assertFalse(ZoneFile.load(floorsOnly).hasFlows());
        List<String> args = new ArrayList<>(List.of("--out", fromOptions.toString(), "--zones", floorsOnly.toString()));
        args.addAll(concourseCameras(concourse));
        args.addAll(List.of("--gate-hysteresis", "4",
                "--gate", "north-1=x200:83.3,0,83.3,240", "--gate", "north-2=x200:83.3,0,83.3,240", "--gate", "south-1=x200:83.3,0,83.3,240",
                "--dwell-zone", "south-1=road:0,70,320,70,320,140,0,140"));
        StadiumStaffingJob options = new StadiumStaffingJob();
        new CommandLine(options).parseArgs(args.toArray(String[]::new));
        TestJobs.execute("stadium-staffing flows by options", 2, env -> options.build(env, ZoneFile.read(floorsOnly)));

        java.util.List<String[]> flows = dev.winnow.examples.io.CsvFiles.read(fromFile.resolve("flows"));
        assertEquals(lines(dev.winnow.examples.io.CsvFiles.read(fromOptions.resolve("flows"))), lines(flows), "the zone file's gates and dwell = the options'");
        int in = 0, outs = 0, dwells = 0;
        for (String[] r : flows) {
            if (r[1].equals("line")) {
                in += Integer.parseInt(r[5]);
                outs += Integer.parseInt(r[6]);
            } else {
                assertEquals("south-1", r[0]);
                dwells += Integer.parseInt(r[7]);
                assertTrue(Double.parseDouble(r[8]) <= Double.parseDouble(r[9]), "p50 <= p90: " + String.join(",", r));
            }
        }
        System.out.printf("stadium-staffing sample gate x=200: hand 5 (in 4, out 1), tracker %d (in %d, out %d); %d dwells on south-1's road%n",
                in + outs, in, outs, dwells);
        // the sample runs at 2 frames/s; the tracker's birth (0.3 s) and occlusion (1 s) become 1 and 2 frames there;
        // the issue's goal is 10 % of the hand count, which on 5 crossings means each one (docs/tracking.md).
        // At 10 fps flink-operators' VtestGateTest holds the defaults to 10 % of the whole clip's count.
        assertEquals(4, in, "gate crossings in, against 4 by hand");
        assertEquals(1, outs, "gate crossings out, against 1 by hand");
        assertTrue(dwells > 0, "people walked along the road zone");
        assertFalse(dev.winnow.examples.io.CsvFiles.read(fromFile.resolve("tracks")).isEmpty());
    }

    static java.util.List<String> lines(java.util.List<String[]> rows) {
        return rows.stream().map(r -> String.join(",", r)).sorted().toList();
    }

    @Test
    void aBadGateIsAClearError() {
        StadiumStaffingJob job = new StadiumStaffingJob();
        new CommandLine(job).parseArgs("--gate", "north-1=g:1,2,3");
        var e = assertThrows(IllegalArgumentException.class, () -> job.flow.config(5_000, null));
        assertTrue(e.getMessage().contains("--gate north-1=g:1,2,3: needs X1,Y1,X2,Y2"), e.getMessage());
        StadiumStaffingJob other = new StadiumStaffingJob();
        new CommandLine(other).parseArgs("--dwell-zone", "north-1=z:0,0,ten,0,0,10");
        e = assertThrows(IllegalArgumentException.class, () -> other.flow.config(5_000, null));
        assertTrue(e.getMessage().contains("'ten' is not a number"), e.getMessage());
    }

    /**
     * The overlap test: cameras "left" and "right" get the same frames (north-1's) as "whole", so their
     * views overlap completely; left owns x < 160, right the rest. Zone "split" (left + right) must
     * count what zone "single" (whole) counts, window by window, though the detector's raw counts of
     * left and right each equal whole's, so counting by camera would double it.
     */
    @Test
    void twoCamerasWithOverlappingViewsCountEachPersonOnce(@TempDir Path dir) throws Exception {
        Path frames = Samples.dir().resolve("frames/concourse/north-1"), yaml = dir.resolve("overlap.yaml");
        Files.writeString(yaml, """
                window: PT2S
                cameras: [left, right, whole]
                zones:
                  split:
                    capacity: 10
                    people-per-staff: 4
                    cameras:
                      left:
                        - floor: west
                          polygon: [[0,0], [160,0], [160,241], [0,241], [0,0]]
                      right:
                        - floor: east
                          polygon: [[160,0], [321,0], [321,241], [160,241], [160,0]]
                  single:
                    capacity: 10
                    people-per-staff: 4
                    cameras:
                      whole:
                        - floor: all
                          polygon: [[0,0], [321,0], [321,241], [0,241], [0,0]]
                """);
        StadiumStaffingJob job = new StadiumStaffingJob();
        // every frame's own count: the median of a sum (the whole view) is not the sum of the halves' medians
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", yaml.toString(), "--count-frames", "1",
                "--camera", "left=" + frames, "--camera", "right=" + frames, "--camera", "whole=" + frames);
        ZoneConfig zones = ZoneFile.read(job.zones);
        TestJobs.execute("stadium-staffing overlap test", 2, env -> job.build(env, zones));

        StaffingReport report = StaffingReport.read(out, zones);
        java.util.List<StaffingReport.Window> split = report.windows().stream().filter(w -> w.zone().equals("split")).toList();
        java.util.List<StaffingReport.Window> single = report.windows().stream().filter(w -> w.zone().equals("single")).toList();
        assertEquals(10, single.size());
        assertEquals(single.size(), split.size());
        for (int i = 0; i < single.size(); i++) {
            assertEquals(single.get(i).start(), split.get(i).start());
            assertEquals(single.get(i).mean(), split.get(i).mean(), 1e-4, "window " + i);
            assertEquals(single.get(i).max(), split.get(i).max(), "window " + i);
        }
        long raw = 0, rawLeft = 0;
        for (String[] c : dev.winnow.examples.io.CsvFiles.read(out.resolve("counts"))) {
            if (c[0].equals("whole")) raw += Long.parseLong(c[3]);
            if (c[0].equals("left")) rawLeft += Long.parseLong(c[3]);
        }
        assertTrue(raw > 0, "people in north-1's frames");
        assertEquals(raw, rawLeft, "left's detector sees everyone whole sees: counting per camera would double the zone");
        System.out.printf("stadium-staffing overlap: %d people-frames seen by each camera; split zone peak %d = single zone peak %d%n", raw,
                split.stream().mapToInt(StaffingReport.Window::max).max().orElse(-1), single.stream().mapToInt(StaffingReport.Window::max).max().orElse(-1));
    }

    @Test
    void theBundledZoneFileReads() throws IOException {
        ZoneConfig c = ZoneFile.read(Samples.dir().resolve("frames/concourse/zones.yaml"));
        assertEquals(java.util.Set.of("north-1", "north-2"), c.camerasOf("concourse-north"));
        assertTrue(c.owned("south-1").get(0).contains(160, 240), "a person standing on the bottom row counts");
        assertEquals(5_000, c.degradedAfterMillis);
        ZoneFile.Loaded file = ZoneFile.load(Samples.dir().resolve("frames/concourse/zones.yaml"));
        assertEquals(java.util.Set.of("north-1", "north-2", "south-1"), file.gates().keySet(), "gate x200 on each camera");
        assertEquals("road", file.dwell().get("south-1").get(0).name);
        assertEquals(java.time.Duration.ofMinutes(5), file.queueAlert(), "the default");
    }

    @Test
    void aCountWindowItCannotHoldIsAUsageErrorBeforeTheJobStarts() {
        for (String frames : new String[] {"0", "256"}) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cl = new CommandLine(new StadiumStaffingJob()).setErr(new java.io.PrintWriter(err));
            assertEquals(2, cl.execute("--out", out.toString(), "--count-frames", frames), "usage error");
            assertTrue(err.toString().startsWith("--count-frames " + frames + ": it must be 1 to 255"), err.toString());
            assertFalse(Files.exists(out.resolve("zones")), "nothing ran");
        }
    }

    @Test
    void aBadZoneFileIsAUsageErrorBeforeTheJobStarts(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("zones.yaml");
        Files.writeString(f, Files.readString(Samples.dir().resolve("frames/concourse/zones.yaml")).replace("      north-2:", "      north-3:"));
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new StadiumStaffingJob()).setErr(new java.io.PrintWriter(err));
        int code = cl.execute("--out", out.toString(), "--zones", f.toString(), "--camera", "north-1=" + dir);
        assertEquals(2, code, "usage error");
        assertTrue(err.toString().startsWith("zones.yaml:22: zone \"concourse-north\" camera \"north-3\": unknown camera (cameras: north-1, north-2, south-1)"), err.toString());
        assertFalse(Files.exists(out.resolve("zones")), "nothing ran");
    }
}
