package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.runtime.kernel.PresenceGate;
import dev.winnow.tools.detect.PresenceSelection.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The presence gate chosen on validation frames: fewer frames against the teacher, within the people-free goals. */
class PresenceSelectionTest {
    private static void add(List<Scores> s, String clip, boolean teacher, float anchor, float head, int times) {
        for (int k = 0; k < times; k++) s.add(new Scores(clip, teacher, anchor, head));
    }

    @Test
    void theHeadFindsLargePeopleAndVetoesAnAnimalTheAnchorsKeep() {
        List<Scores> s = new ArrayList<>();
        add(s, "vtest", true, 0.9f, 0.8f, 40);       // the plaza: anchors sure, head fairly sure
        add(s, "schoolyard", true, 0.3f, 0.9f, 20);  // large people: anchors miss, head sure
        add(s, "pets", false, 0.7f, 0.05f, 30);      // an animal: anchors fire, head sure nobody is there
        add(s, "street", false, 0.1f, 0.3f, 50);     // empty street: nobody fires
        float[] gate = PresenceSelection.pick(s, 0.5f);
        Map<String, int[]> per = new LinkedHashMap<>();
        double c = PresenceSelection.cost(s, new PresenceGate(0.5f, gate[0], gate[1]), per);
        assertTrue(c == 0, "every frame decided as the teacher does, gate " + gate[0] + "/" + gate[1]);
        assertTrue(gate[0] > 0.3f && gate[0] <= 0.9f && gate[1] > 0.05f && gate[1] <= 0.3f, gate[0] + "/" + gate[1]);
    }

    @Test
    void aGateThatFillsAPeopleFreeClipIsRefusedWhateverItGainsElsewhere() {
        List<Scores> s = new ArrayList<>();
        add(s, "schoolyard", true, 0.2f, 0.6f, 30);  // 30 frames the head alone would find at 0.6
        add(s, "rocket", false, 0.1f, 0.6f, 10);     // but it fires as much on 10 people-free frames
        add(s, "vtest", true, 0.9f, 0.9f, 10);
        assertArrayEquals(new float[] {1f, 0f}, PresenceSelection.pick(s, 0.5f), "no gate: a people-free clip would be kept whole");
    }

    @Test
    void aVetoThatLosesPlazaFramesIsRefused() {
        List<Scores> s = new ArrayList<>();
        add(s, "vtest", true, 0.9f, 0.1f, 3);        // plaza frames the head doubts
        add(s, "vtest", true, 0.9f, 0.9f, 20);
        add(s, "dog", false, 0.8f, 0.15f, 10);       // a veto at 0.2 would drop the dog, and the three plaza frames
        float[] gate = PresenceSelection.pick(s, 0.5f);
        assertTrue(gate[1] <= 0.1f, "the veto stays at or under the plaza's doubtful frames: " + gate[1]);
    }
}
