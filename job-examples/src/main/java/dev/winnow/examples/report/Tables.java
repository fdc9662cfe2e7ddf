package dev.winnow.examples.report;

import java.util.List;

/** A compact markdown table for the console: what the jobs print when they finish. */
public final class Tables {
    private Tables() {}

    public static String markdown(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        line(b, header, w);
        b.append('|');
        for (int x : w) b.append("-".repeat(x + 2)).append('|');
        b.append('\n');
        for (List<String> r : rows) line(b, r, w);
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] w) {
        b.append('|');
        for (int i = 0; i < w.length; i++) b.append(' ').append(String.format("%-" + w[i] + "s", cells.get(i))).append(" |");
        b.append('\n');
    }
}
