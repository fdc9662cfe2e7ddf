package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.testing.TestJobs;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.examples.report.StaffingReport;
import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** stadium-staffing on the bundled concourse cameras and detector, on a MiniCluster. */
class StadiumStaffingJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    @TempDir Path out;

    @Test
    void windowsPerZoneWithStaffingAndAChartEach() throws Exception {
        Path concourse = Samples.dir().resolve("frames/concourse");
        StadiumStaffingJob job = new StadiumStaffingJob();
        new CommandLine(job).parseArgs("--out", out.toString(), "--zones", concourse.resolve("zones.properties").toString(),
                "--camera", "north-1=" + concourse.resolve("north-1"), "--camera", "north-2=" + concourse.resolve("north-2"),
                "--camera", "south-1=" + concourse.resolve("south-1"));
        ZoneConfig zones = ZoneFile.read(job.zones);
        TestJobs.execute("stadium-staffing test", 2, env -> job.build(env, zones));

        StaffingReport report = StaffingReport.read(out, zones);
        assertEquals(120, report.frames(), "40 frames from each of three cameras");
        // 40 frames at 2 frames/s of event time = 20 s per camera, in 5 s windows
        assertEquals(4, report.windows().stream().filter(w -> w.zone().equals("concourse-north")).count());
        assertEquals(4, report.windows().stream().filter(w -> w.zone().equals("concourse-south")).count());
        for (StaffingReport.Window w : report.windows()) {
            int perStaff = zones.zone(w.zone()).peoplePerStaff();
            assertEquals((w.max() + perStaff - 1) / perStaff, w.staff(), "staff = ceil(max occupancy / people per staff)");
            assertTrue(w.mean() <= w.max() + 1e-9);
        }
        assertTrue(report.windows().stream().anyMatch(w -> w.max() > 0), "people counted on the concourse");
        report.writeHtml(out.resolve("report.html"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("zone concourse-north") && html.contains("zone concourse-south"), "one chart per zone");
    }

    @Test
    void aBadZoneFileIsAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("zones.properties");
        Files.writeString(f, "camera.a = hall\nzone.hall.capacity = ten\nzone.hall.people-per-staff = 2\n");
        IOException e = assertThrows(IOException.class, () -> ZoneFile.read(f));
        assertTrue(e.getMessage().contains("zone.hall.capacity must be an integer"), e.getMessage());
        Files.writeString(f, "camera.a = hall\n");
        e = assertThrows(IOException.class, () -> ZoneFile.read(f));
        assertTrue(e.getMessage().contains("unknown zone hall"), e.getMessage());
    }
}
