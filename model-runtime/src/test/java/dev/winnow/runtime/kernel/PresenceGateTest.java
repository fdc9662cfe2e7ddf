package dev.winnow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PresenceGateTest {

    /** The rule in double precision: the head alone, or the anchors unless the head vetoes them. */
    private static boolean reference(double anchor, double head, double threshold, double present, double veto) {
        return head >= present || (anchor >= threshold && head >= veto);
    }

    @Test
    void decisionAndCombinedScoreMatchTheDoublePrecisionRule() {
        float[][] gates = {{0.5f, 0.7f, 0.1f}, {0.45f, 1f, 0f}, {0.3f, 0.4f, 0.4f}, {0.6f, 0.25f, 0f}, {0.5f, 0.9f, 0.3f}};
        for (float[] g : gates) {
            PresenceGate gate = new PresenceGate(g[0], g[1], g[2]);
            for (int ai = 0; ai <= 200; ai++) {
                for (int hi = 0; hi <= 200; hi++) {
                    float a = ai / 200f, h = hi / 200f;
                    boolean want = reference(a, h, g[0], g[1], g[2]);
                    assertEquals(want, gate.present(a, h), "gate " + java.util.Arrays.toString(g) + " anchor " + a + " head " + h);
                    float s = gate.score(a, h);
                    assertEquals(want, s >= g[0], "combined score " + s + " against threshold " + g[0] + " at anchor " + a + " head " + h);
                    assertTrue(s >= 0f && s <= 1f, "score in [0, 1]: " + s);
                }
            }
        }
    }

    @Test
    void combinedScoreIsMonotoneInBothScores() {
        PresenceGate gate = new PresenceGate(0.5f, 0.7f, 0.15f);
        for (int ai = 0; ai <= 100; ai++)
            for (int hi = 0; hi < 100; hi++) {
                float a = ai / 100f, h = hi / 100f;
                assertTrue(gate.score(a, h + 0.01f) >= gate.score(a, h), "head " + h + " anchor " + a);
                if (ai < 100) assertTrue(gate.score(a + 0.01f, h) >= gate.score(a, h), "anchor " + a + " head " + h);
            }
    }

    @Test
    void withoutVetoAndAHeadThatNeverFiresTheAnchorsDecideAlone() {
        PresenceGate gate = new PresenceGate(0.5f, 1f, 0f);
        for (int ai = 0; ai <= 100; ai++) {
            float a = ai / 100f;
            assertEquals(a >= 0.5f, gate.present(a, 0.99f));
            assertEquals(a >= 0.5f, gate.present(a, 0f));
        }
    }

    @Test
    void refusesGatesThatCannotBeRead() {
        assertThrows(IllegalArgumentException.class, () -> new PresenceGate(0f, 0.5f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new PresenceGate(0.5f, 0f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new PresenceGate(0.5f, 1.5f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new PresenceGate(0.5f, 0.4f, 0.6f));
        assertThrows(IllegalArgumentException.class, () -> new PresenceGate(0.5f, 0.6f, Float.NaN));
    }
}
