package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorGroupsTest {
    @TempDir Path dir;

    @Test
    void theMapWinsAndThePrefixRuleCoversTheRest() throws Exception {
        Path csv = dir.resolve("groups.csv");
        Files.writeString(csv, "sensor,group\n# pumps of hall A\npump-1,hall-a\n\npump-2 , hall-a\nfan/3,fans\n");
        SensorGroups g = SensorGroups.read(csv).withPrefixRule("/");
        assertEquals("hall-a", g.group("pump-1"));
        assertEquals("hall-a", g.group("pump-2"));
        assertEquals("fans", g.group("fan/3"));
        assertEquals("boiler", g.group("boiler/7"), "not in the map: the prefix before the separator");
        assertNull(g.group("boiler7"), "no separator, not in the map: no group");
        assertNull(g.group("/7"), "an empty prefix is no group");
        assertNull(SensorGroups.read(csv).group("boiler/7"), "without the rule only the map counts");
        assertEquals(List.of("fans", "hall-a"), g.mappedGroups());
    }

    @Test
    void aBrokenLineOrASensorInTwoGroupsIsRefusedWithItsLine() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "pump-1,hall-a\npump-2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SensorGroups.read(bad));
        assertTrue(e.getMessage().endsWith("bad.csv:2: expected sensor,group, got 'pump-2'"), e.getMessage());
        Path twice = dir.resolve("twice.csv");
        Files.writeString(twice, "pump-1,hall-a\npump-1,hall-b\n");
        e = assertThrows(IllegalArgumentException.class, () -> SensorGroups.read(twice));
        assertTrue(e.getMessage().endsWith("twice.csv:2: sensor pump-1 is in group hall-a and in group hall-b"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SensorGroups.none().withPrefixRule(""));
    }
}
