package dev.winnow.flink.types;

/**
 * The central teacher's verdict on one {@link TeacherRequest}, with what the recall estimate needs
 * from the request: whether it was a sample of the dropped frames, the edge's totals and the student
 * that ran there. A Flink POJO.
 */
public class TeacherAnswer {
    /** The teacher's verdict (decided by {@link Verdict#TEACHER}); sent back to the edge for band frames. */
    public Verdict verdict;
    public boolean sample;
    public long edgeDropped;
    public long edgeKept;
    public int studentCount;
    public String studentModel;
    public int studentVersion;

    public TeacherAnswer() {}

    @Override
    public String toString() {
        return "TeacherAnswer{" + verdict + (sample ? " sample" : " band") + ", student count " + studentCount + "}";
    }
}
