package dev.winnow.examples.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Per-frame and per-window counts on short sequences whose answers are worked out by hand. */
class ConfusionTest {
    static boolean[] b(String s) {
        boolean[] out = new boolean[s.length()];
        for (int i = 0; i < s.length(); i++) out[i] = s.charAt(i) == '1';
        return out;
    }

    @Test
    void perFrameCountsEachKindOfAgreement() {
        //                                      ref  1 1 0 0 1 0 1 0
        //                                      got  1 0 0 1 1 0 0 0   -> TP 2, FN 2, FP 1, TN 3
        Confusion c = Confusion.perFrame(b("11001010"), b("10011000"));
        assertEquals(new Confusion(2, 1, 2, 3), c);
        assertEquals(0.5, c.fnRate(), 1e-12);          // 2 of the 4 reference positives missed
        assertEquals(0.25, c.fpRate(), 1e-12);         // 1 of the 4 reference negatives flagged
        assertEquals(8, c.total());
    }

    @Test
    void aWindowIsPositiveWhenAnyOfItsFramesIs() {
        // windows of 3: [110][000][011][1]  ref -> 1 0 1 1
        //               [001][010][000][0]  got -> 1 1 0 0  => TP 1, FP 1, FN 2, TN 0
        Confusion c = Confusion.windows(b("1100000111"), b("0010100000"), 3);
        assertEquals(new Confusion(1, 1, 2, 0), c);
        assertEquals(4, c.total(), "the short last window counts");
        // a late detection inside the same second is no miss per second, though it is per frame
        Confusion late = Confusion.windows(b("1100"), b("0100"), 4);
        assertEquals(new Confusion(1, 0, 0, 0), late);
        assertEquals(new Confusion(1, 0, 1, 2), Confusion.perFrame(b("1100"), b("0100")));
    }

    @Test
    void ratesWithNothingToCountAreNaNAndTotalsAdd() {
        Confusion noPeople = Confusion.perFrame(b("000"), b("010"));
        assertTrue(Double.isNaN(noPeople.fnRate()));
        assertEquals(1 / 3.0, noPeople.fpRate(), 1e-12);
        assertEquals(new Confusion(2, 2, 2, 5), new Confusion(2, 1, 2, 3).plus(noPeople));
    }

    @Test
    void badInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Confusion.perFrame(b("10"), b("1")));
        assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Confusion.windows(b("1"), b("1"), 0));
    }
}
