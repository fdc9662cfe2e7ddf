package dev.winnow.flink.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class CopyableTest {

    @Test
    void aCopyHasEveryFieldAndChangesToItLeaveTheOriginal() {
        Verdict v = new Verdict();
        v.cameraId = "cam";
        v.seq = 4;
        v.timestampMillis = 400;
        v.score = 0.7f;
        v.rawScore = 0.75f;
        v.count = 1;
        v.boxes = new float[] {1, 2, 3, 4, 0.7f};
        v.modelName = "people";
        v.modelVersion = 2;
        Verdict c = v.copy();
        assertNotSame(v, c);
        assertEquals(v, c);
        assertSame(v.boxes, c.boxes, "shallow: arrays are shared");
        c.seq = 5;
        c.decidedBy = Verdict.REUSED;
        assertEquals(4, v.seq);
        assertEquals(Verdict.STUDENT, v.decidedBy);

        RecallEstimate e = new RecallEstimate();
        e.cameraId = "cam";
        e.samples = 10;
        e.misses = 1;
        e.recall = 0.9;
        e.flagged = true;
        assertEquals(e, e.copy());
    }

    @Test
    void copyableTypesStayFlinkPojos() {
        for (Class<?> c : new Class<?>[] {Verdict.class, RecallEstimate.class, RetentionEvent.class}) {
            assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(c), c.getSimpleName() + " would fall back to Kryo");
        }
    }
}
