package dev.winnow.tools.train;

import dev.winnow.tools.data.Dataset;

/**
 * Knowledge distillation (Hinton, Vinyals, Dean 2015): the loss of a student's scores y on a
 * training row mixes the cross-entropy with the teacher's softened distribution at temperature T
 * and the cross-entropy with the hard label:
 * L = α·T²·CE(softmax(t/T), softmax(y/T)) + (1 − α)·CE(onehot, softmax(y)).
 * The T² keeps the soft term's gradients on the scale of the hard one. Teacher scores are computed
 * once for every row of the training set; rows are found by their offset in {@code data}.
 */
public final class SoftTargets {
    private final float[] probs; // teacher's softmax(t/T), [rows][classes]
    private final int classes, features;
    private final double temperature, alpha;

    /** @param teacherScores the teacher's raw scores (logits) for every row of {@code data}, [rows][classes] */
    public SoftTargets(Dataset data, float[] teacherScores, int classes, double temperature, double alpha) {
        if (!(temperature > 0) || !(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("temperature must be > 0 and alpha in [0, 1]");
        if (teacherScores.length != (long) data.size() * classes) throw new IllegalArgumentException("need " + classes + " teacher scores per training row");
        this.classes = classes;
        this.features = data.features();
        this.temperature = temperature;
        this.alpha = alpha;
        this.probs = new float[teacherScores.length];
        for (int i = 0; i < data.size(); i++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int l = 0; l < classes; l++) m = Math.max(m, teacherScores[i * classes + l] / temperature);
            for (int l = 0; l < classes; l++) s += StrictMath.exp(teacherScores[i * classes + l] / temperature - m);
            for (int l = 0; l < classes; l++) probs[i * classes + l] = (float) (StrictMath.exp(teacherScores[i * classes + l] / temperature - m) / s);
        }
    }

    public double temperature() { return temperature; }
    public double alpha() { return alpha; }

    /** The teacher's softened probability of class l for the row at {@code off}. */
    public double target(int off, int l) {
        return probs[(off / features) * classes + l];
    }

    /** Loss of scores {@code y} for the row at data offset {@code off}; dL/dy into {@code delta}. */
    public double loss(double[] y, int label, int off, double[] delta) {
        int n = y.length, row = off / features;
        double hard = Loss.CROSS_ENTROPY.apply(y, label, delta); // delta = softmax(y) − onehot
        double m = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < n; l++) m = Math.max(m, y[l] / temperature);
        double s = 0;
        for (int l = 0; l < n; l++) s += StrictMath.exp(y[l] / temperature - m);
        double logS = StrictMath.log(s) + m, soft = 0, t2 = temperature * temperature;
        for (int l = 0; l < n; l++) {
            double p = probs[row * classes + l], logQ = y[l] / temperature - logS;
            soft -= p * logQ;
            // d/dy_l of T²·CE(p, softmax(y/T)) = T·(q_l − p_l)
            delta[l] = (1 - alpha) * delta[l] + alpha * temperature * (StrictMath.exp(logQ) - p);
        }
        return (1 - alpha) * hard + alpha * t2 * soft;
    }
}
