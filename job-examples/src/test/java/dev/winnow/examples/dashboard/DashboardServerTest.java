package dev.winnow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.examples.io.Samples;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The dashboard's server and board without a browser: what /api/zones says, hostile requests, a taken port. */
class DashboardServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    static ZoneConfig sample() throws IOException {
        return ZoneFile.read(Samples.dir().resolve("frames/concourse/zones.yaml"));
    }

    static StaffingWindow window(String zone, long start, double mean, int max, boolean degraded) {
        StaffingWindow w = new StaffingWindow();
        w.zone = zone;
        w.windowStartMillis = start;
        w.windowEndMillis = start + 2_000;
        w.occupancyMean = mean;
        w.occupancyMax = max;
        w.inflow = 3;
        w.outflow = 1;
        w.dwellP90Seconds = 150;
        w.staff = 5;
        w.degraded = degraded;
        return w;
    }

    HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void apiZonesHoldsEachZonesLastHourAndItsFlows() throws Exception {
        ZoneBoard board = new ZoneBoard(sample(), 120_000);
        try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, board)) {
            String base = "http://127.0.0.1:" + server.port();
            JsonNode empty = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/api/zones"))).body());
            assertEquals(2, empty.get("zones").size(), "every zone of the file, before any window");
            assertTrue(empty.get("zones").get(0).get("now").isNull());

            // 1 h 10 min of 2 s windows: only the last hour stays
            long t0 = 1_700_000_000_000L;
            for (long t = t0; t < t0 + 4_200_000; t += 2_000) board.add(BoardUpdate.of(window("concourse-north", t, 2.5, 4, false)));
            board.add(BoardUpdate.of(window("concourse-south", t0, 7.125, 9, true)));
            FlowWindow q = new FlowWindow();
            q.cameraId = "south-1";
            q.kind = FlowWindow.ZONE;
            q.name = "till";
            q.windowStartMillis = t0;
            q.windowEndMillis = t0 + 2_000;
            q.dwells = 4;
            q.dwellP50Seconds = 95;
            q.dwellP90Seconds = 150;
            q.queueAlert = true;
            board.add(BoardUpdate.of("concourse-south", q));

            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/zones?since=0")));
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            JsonNode zones = JSON.readTree(r.body()).get("zones");
            JsonNode north = zones.get(0), south = zones.get(1);
            assertEquals("concourse-north", north.get("zone").asText());
            assertEquals(1_800, north.get("history").size(), "an hour of 2 s windows");
            assertEquals(t0 + 4_198_000, north.get("now").get("start").asLong());
            assertEquals(t0 + 4_198_000 - 3_598_000, north.get("history").get(0).get(0).asLong());
            assertEquals(4, north.get("now").get("occupancy_max").asInt());
            assertEquals(0, north.get("alerts").size(), "4 people in a zone of 10, not degraded");
            assertEquals(7.13, south.get("now").get("occupancy_mean").asDouble(), 1e-9, "two decimals, as schedule.csv");
            assertEquals(3, south.get("now").get("inflow").asInt());
            assertTrue(south.get("now").get("degraded").asBoolean());
            JsonNode till = south.get("flows").get(0);
            assertEquals(95.0, till.get("dwell_p50_s").asDouble());
            assertEquals(150.0, till.get("dwell_p90_s").asDouble());
            String alerts = south.get("alerts").toString();
            assertTrue(alerts.contains("queue at south-1 till: dwell p90 150.00 s reaches the alert at 120.00 s"), alerts);
            assertTrue(alerts.contains("degraded") && alerts.contains("over capacity: 9 > 5"), alerts);

            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")));
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("fetch(\"api/zones\""), "the page polls the JSON");
        }
    }

    @Test
    void hostileRequestsGetA4xxWithOneLineOfJson() throws Exception {
        try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, new ZoneBoard(sample(), 120_000))) {
            String base = "http://127.0.0.1:" + server.port();
            check(send(HttpRequest.newBuilder(URI.create(base + "/etc/passwd"))), 404, "not found");
            check(send(HttpRequest.newBuilder(URI.create(base + "/api/zones/../../x"))), 404, "not found");
            HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/api/zones")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))));
            check(post, 405, "method not allowed");
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
            check(send(HttpRequest.newBuilder(URI.create(base + "/")).DELETE()), 405, "method not allowed");
            check(send(HttpRequest.newBuilder(URI.create(base + "/api/zones?q=" + "a".repeat(50_000)))), 414, "longer than 2048");
            // still serving after all that
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/api/zones"))).statusCode());
        }
    }

    static void check(HttpResponse<String> r, int status, String says) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        String body = r.body().strip();
        assertFalse(body.contains("\n"), "one line: " + body);
        assertTrue(JSON.readTree(body).get("error").asText().contains(says), body);
        assertFalse(body.contains("Exception") || body.contains("\tat "), "no stack trace: " + body);
    }

    @Test
    void jsonStringsAreEscapedForScriptsToo() {
        assertEquals("\"a\\\"b\\\\c\\n\\u003c/script\\u003e\"", ZoneBoard.str("a\"b\\c\n</script>"));
    }

    @Test
    void aTakenPortIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            IOException e = assertThrows(IOException.class, () -> DashboardServer.start("127.0.0.1", port, new ZoneBoard(sample(), 1)));
            assertEquals("--dashboard-port " + port + ": 127.0.0.1:" + port + " is in use (or not an address of this machine)", e.getMessage());

            // the command line: a usage error before anything runs
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cl = new CommandLine(new dev.winnow.examples.StadiumStaffingJob()).setErr(new java.io.PrintWriter(err));
            Path out = Path.of(System.getProperty("java.io.tmpdir"), "dashboard-taken-" + port);
            assertEquals(2, cl.execute("--out", out.toString(), "--dashboard-port", String.valueOf(port)));
            assertTrue(err.toString().startsWith("--dashboard-port " + port + ": 127.0.0.1:" + port + " is in use"), err.toString());
            assertFalse(java.nio.file.Files.exists(out.resolve("zones")), "nothing ran");
        }
    }

    /** The sample's degraded-after is PT5S: a camera whose last frame is 5 s or more before the zone's newest window end is named. */
    @Test
    void aSilentCameraIsNamed() throws Exception {
        ZoneBoard board = new ZoneBoard(sample(), 300_000);
        long t0 = 1_700_000_000_000L;
        board.add(BoardUpdate.pulse("north-2", t0, 4, t0 + 1_500));
        board.add(BoardUpdate.pulse("north-2", t0 + 4_000, 2, t0 + 4_500));
        board.add(BoardUpdate.pulse("north-1", t0 + 10_000, 4, t0 + 11_500));
        board.add(BoardUpdate.pulse("north-1", t0 + 8_000, 3, t0 + 9_500)); // an older window arriving late changes nothing shown
        board.add(BoardUpdate.of(window("concourse-north", t0 + 10_000, 2, 3, true)));
        JsonNode zones = JSON.readTree(board.json(0)).get("zones");
        JsonNode north = zones.get(0).get("camera_status"), south = zones.get(1).get("camera_status");
        assertEquals("north-1", north.get(0).get("camera").asText());
        assertEquals(4, north.get(0).get("frames").asInt());
        assertEquals(t0 + 10_000, north.get(0).get("window_start").asLong());
        assertEquals(0.5, north.get(0).get("silent_s").asDouble());
        assertFalse(north.get(0).get("degraded").asBoolean());
        assertEquals(7.5, north.get(1).get("silent_s").asDouble(), "12 s - 4.5 s");
        assertTrue(north.get(1).get("degraded").asBoolean());
        assertEquals("[\"camera sent nothing for degraded-after or longer, not counted: north-2 (7.50 s)\"]", zones.get(0).get("alerts").toString());
        assertTrue(south.get(0).get("window_start").isNull(), "south-1 sent nothing yet");
        assertFalse(south.get(0).get("degraded").asBoolean());
    }
}
