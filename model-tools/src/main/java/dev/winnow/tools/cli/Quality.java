package dev.winnow.tools.cli;

import dev.winnow.tools.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks behind train's and compress's WARNING lines. A run can end near chance, or a
 * compression step drop many points, and still write an artifact and a table nobody reads closely;
 * these checks put one line on stderr, and {@code --strict} turns it into exit code
 * {@link dev.winnow.registry.cli.Exits#QUALITY}.
 */
final class Quality {
    /** "Near chance": within this many points (as a fraction) of the better trivial classifier. */
    static final double CHANCE_MARGIN = 0.05;

    private Quality() {}

    /**
     * The better of two trivial classifiers on {@code test}: a uniform guess (1/classes), and always
     * answering the most frequent class of {@code train} (what a collapsed model does).
     */
    static double chance(Dataset train, Dataset test) {
        int[] counts = train.classCounts();
        int majority = 0;
        for (int c = 1; c < counts.length; c++) if (counts[c] > counts[majority]) majority = c;
        int hits = 0;
        for (int i = 0; i < test.size(); i++) if (test.label(i) == majority) hits++;
        double uniform = 1.0 / Math.max(train.classes(), test.classes());
        return Math.max(uniform, test.size() == 0 ? 0 : (double) hits / test.size());
    }

    /** A warning line if {@code accuracy} on the held-out rows is within {@link #CHANCE_MARGIN} of chance, else null. */
    static String nearChance(String what, double accuracy, Dataset train, Dataset test) {
        double chance = chance(train, test);
        if (!(accuracy < chance + CHANCE_MARGIN)) return null;
        return String.format(Locale.ROOT, "WARNING: %s: test accuracy %.2f%% is near chance (%.2f%%: the better of 1/%d classes and always the most frequent class)",
                what, 100 * accuracy, 100 * chance, train.classes());
    }

    /** One step of a compression chain and its accuracy on the held-out rows. */
    record Step(String name, double accuracy) {}

    /**
     * Warning lines for each step that loses more than {@code maxLossPoints} against the step before
     * it, and for the chain as a whole when only the sum of small losses exceeds it.
     */
    static List<String> losses(List<Step> chain, double maxLossPoints) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < chain.size(); i++) {
            double lost = 100 * (chain.get(i - 1).accuracy() - chain.get(i).accuracy());
            if (lost > maxLossPoints) {
                out.add(String.format(Locale.ROOT, "WARNING: %s lost %.2f points of test accuracy (%.2f%% -> %.2f%%), more than --max-loss %s",
                        chain.get(i).name(), lost, 100 * chain.get(i - 1).accuracy(), 100 * chain.get(i).accuracy(), maxLossPoints));
            }
        }
        if (out.isEmpty() && chain.size() > 1) {
            Step first = chain.get(0), last = chain.get(chain.size() - 1);
            double lost = 100 * (first.accuracy() - last.accuracy());
            if (lost > maxLossPoints) {
                out.add(String.format(Locale.ROOT, "WARNING: compression lost %.2f points of test accuracy in all (%.2f%% -> %.2f%%), more than --max-loss %s",
                        lost, 100 * first.accuracy(), 100 * last.accuracy(), maxLossPoints));
            }
        }
        return out;
    }
}
