package dev.winnow.examples.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZoneFileTest {
    @TempDir Path dir;

    /** Two cameras over one hall; line numbers below count from this text's first line. */
    static final String GOOD = """
            window: PT10S
            overcrowded-after: PT5S
            degraded-after: PT20S
            cameras: [cam1, cam2]
            zones:
              north:
                capacity: 30
                people-per-staff: 10
                min-staff: 1
                queue-dwell-target: PT2M
                cameras:
                  cam1:
                    - floor: west
                      polygon: [[0,0], [200,0], [200,200], [0,200], [0,0]]
                    - floor: middle
                      polygon: [[200,0], [400,0], [400,200], [200,200], [200,0]]
                  cam2:
                    - floor: east
                      polygon: [[100,0], [300,0], [300,200], [100,200], [100,0]]
            """;

    Path write(String text) throws IOException {
        Path f = dir.resolve("zones.yaml");
        Files.writeString(f, text);
        return f;
    }

    ZoneConfig read(String text) throws IOException {
        return ZoneFile.read(write(text));
    }

    String error(String text) {
        return assertThrows(ZoneFile.Invalid.class, () -> read(text)).getMessage();
    }

    @Test
    void aGoodFile() throws IOException {
        ZoneConfig c = read(GOOD);
        assertEquals(10_000, c.windowMillis);
        assertEquals(5_000, c.overcrowdedAfterMillis);
        assertEquals(20_000, c.degradedAfterMillis);
        assertEquals("north", c.zoneOf("cam2"));
        assertEquals(new ZoneConfig.Zone(30, 10, 1, 120_000), c.zone("north"));
        assertEquals(2, c.owned("cam1").size());
        assertTrue(c.owned("cam1").get(1).contains(300, 100));
        assertFalse(c.owned("cam2").get(0).contains(50, 100), "cam2 does not own the floor left of x = 100");
    }

    @Test
    void aPolygonThatDoesNotClose() {
        assertEquals("zones.yaml:19: zone \"north\" camera \"cam2\": polygon does not close: its last point must repeat the first (100, 0)",
                error(GOOD.replace("[100,200], [100,0]]", "[100,200]]")));
    }

    @Test
    void aPolygonOfTwoPoints() {
        assertEquals("zones.yaml:19: zone \"north\" camera \"cam2\": polygon has 2 distinct points; it needs at least 3",
                error(GOOD.replace("[[100,0], [300,0], [300,200], [100,200], [100,0]]", "[[100,0], [300,0], [100,0]]")));
    }

    @Test
    void anUnknownCamera() {
        assertEquals("zones.yaml:17: zone \"north\" camera \"cam3\": unknown camera (cameras: cam1, cam2)", error(GOOD.replace("      cam2:", "      cam3:")));
    }

    @Test
    void overlappingOwnership() {
        // cam2 claims the floor cam1 owns
        assertEquals("zones.yaml:18: zone \"north\" camera \"cam2\": floor \"west\" is already owned by camera \"cam1\" (line 14); one camera owns each floor region",
                error(GOOD.replace("floor: east", "floor: west")));
        // cam1's two polygons overlap in its own pixels: that floor would count twice
        assertEquals("zones.yaml:16: zone \"north\" camera \"cam1\": polygon of floor \"middle\" overlaps floor \"west\" (line 14) of the same camera; owned floor must not overlap",
                error(GOOD.replace("[[200,0], [400,0], [400,200], [200,200], [200,0]]", "[[150,0], [400,0], [400,200], [150,200], [150,0]]")));
        // sharing an edge is not an overlap
        assertDoesNotThrow(() -> read(GOOD));
        // nor is a polygon far away, however large the coordinates
        assertDoesNotThrow(() -> read(GOOD.replace("[[200,0], [400,0], [400,200], [200,200], [200,0]]", "[[1e9,0], [2e9,0], [2e9,1e9], [1e9,1e9], [1e9,0]]")));
        assertTrue(error(GOOD.replace("[[200,0], [400,0], [400,200], [200,200], [200,0]]", "[[0,0], [1e9,0], [1e9,1e9], [0,1e9], [0,0]]"))
                .contains("overlaps floor \"west\""));
    }

    @Test
    void otherMistakesNameTheirLine() {
        assertEquals("zones.yaml:8: zone \"north\": people-per-staff must be an integer >= 1, is 'ten'", error(GOOD.replace("people-per-staff: 10", "people-per-staff: ten")));
        assertEquals("zones.yaml:9: zone \"north\": unknown field \"min-staf\" (known: cameras, capacity, min-staff, people-per-staff, queue-dwell-target)",
                error(GOOD.replace("min-staff:", "min-staf:")));
        assertEquals("zones.yaml:3: degraded-after must be an ISO-8601 duration >= 0 like PT1M, is '20s'", error(GOOD.replace("PT20S", "20s")));
        assertEquals("zones.yaml:4: camera \"cam3\" is in no zone", error(GOOD.replace("[cam1, cam2]", "[cam1, cam2, cam3]")));
        assertTrue(error(GOOD.replace("capacity: 30", "capacity: [30")).startsWith("zones.yaml:"), "YAML syntax errors name a line");
        assertEquals("zones.yaml:1: empty zone file", error(""));
        Path missing = dir.resolve("none.yaml");
        assertEquals(missing + ": no such zone file", assertThrows(ZoneFile.Invalid.class, () -> ZoneFile.read(missing)).getMessage());
    }

    /** GOOD with a gate and a dwell polygon on cam2 (lines 20-25) and a queue alert (line 26). */
    static final String FLOWS = GOOD + String.join("\n",
            "        - gate: door",
            "          line: [[150,0], [150,200]]",
            "          in: left",
            "          hysteresis: 4",
            "        - dwell: till",
            "          polygon: [[100,100], [300,100], [300,200], [100,200], [100,100]]",
            "queue-alert: PT90S", "");

    @Test
    void gatesAndDwellPolygons() throws IOException {
        ZoneFile.Loaded file = ZoneFile.load(write(FLOWS));
        assertEquals(java.util.Set.of("cam2"), file.gates().keySet());
        var door = file.gates().get("cam2").get(0);
        assertEquals("door", door.name);
        // in: left — walking down the line (150,0)→(150,200), in is to the walker's left: larger x
        assertEquals(1, door.side(160, 100), "x 160 is inside");
        assertEquals(-1, door.side(140, 100));
        assertEquals(0, door.side(153, 100), "within the 4 px hysteresis: on the line");
        var till = file.dwell().get("cam2").get(0);
        assertEquals("till", till.name);
        assertTrue(till.contains(200, 150) && !till.contains(200, 50));
        assertEquals(java.time.Duration.ofSeconds(90), file.queueAlert());
        assertEquals(read(GOOD).owned("cam2").size(), file.zones().owned("cam2").size(), "gates and dwell are not owned floor");
        assertFalse(ZoneFile.load(write(GOOD)).hasFlows());
        // in: right (the default) is the line as given
        var right = ZoneFile.load(write(FLOWS.replace("          in: left\n", ""))).gates().get("cam2").get(0);
        assertEquals(-1, right.side(160, 100));
    }

    /** A mistake in FLOWS's cam2 entries: the line the error names, the text replaced, its replacement, the error after the camera. */
    static Arguments bad(int line, String text, String replacement, String error) {
        return Arguments.of(line, text, replacement, error);
    }

    static Stream<Arguments> badGatesAndDwellPolygons() {
        return Stream.of(
                bad(21, "line: [[150,0], [150,200]]", "line: [[150,0]]", "gate \"door\": line must be two points [[x1, y1], [x2, y2]]"),
                bad(21, "line: [[150,0], [150,200]]", "line: [[150,0], [150,0]]", "gate \"door\": line's two ends are the same point (150, 0)"),
                bad(21, "[150,200]]", "[wide,200]]", "gate \"door\": line point 2: 'wide' is not a number"),
                bad(22, "in: left", "in: up", "gate \"door\": in must be right or left (the side of first→second point that is inside), is 'up'"),
                bad(23, "hysteresis: 4", "hysteresis: -1", "gate \"door\": hysteresis must be >= 0 pixels, is -1"),
                bad(25, "[100,200], [100,100]]", "[100,200]]", "dwell \"till\": polygon does not close: its last point must repeat the first (100, 100)"),
                bad(24, "dwell: till", "dwell: door", "dwell \"door\": the camera already has a gate or dwell polygon of that name (line 20)"),
                bad(20, "in: left", "floor: lobby", "an entry needs exactly one of floor, gate, dwell; it has floor and gate"),
                bad(22, "in: left", "polygon: left", "field \"polygon\" does not belong to a gate entry (its fields: gate, hysteresis, in, line)"),
                bad(22, "in: left", "inn: left", "unknown field \"inn\" (known: dwell, floor, gate, hysteresis, in, line, polygon)"),
                bad(20, "          line: [[150,0], [150,200]]\n", "", "gate \"door\": missing field \"line\""),
                // a camera with gates but no floor counts nothing: a mistake, not a silent zero
                bad(18, "        - floor: east\n          polygon: [[100,0], [300,0], [300,200], [100,200], [100,0]]\n", "",
                        "owns no floor: add a {floor, polygon} entry"));
    }

    @ParameterizedTest
    @MethodSource("badGatesAndDwellPolygons")
    void badGatesAndDwellPolygonsNameTheirLine(int line, String text, String replacement, String error) {
        assertEquals("zones.yaml:" + line + ": zone \"north\" camera \"cam2\": " + error, error(FLOWS.replace(text, replacement)));
    }

    @Test
    void aQueueAlertOfZeroNamesItsLine() {
        assertEquals("zones.yaml:26: queue-alert must be longer than 0, like PT5M", error(FLOWS.replace("PT90S", "PT0S")));
    }
}
