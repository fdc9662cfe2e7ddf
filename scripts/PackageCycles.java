import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lists the package-level import cycles of the main sources: every group of packages that reach
 * each other (a strongly connected component of the package graph), with the files behind each
 * edge inside the group, so the edge to cut is visible. Reads sources, not classes, so it needs no
 * build and takes a few seconds: {@code java scripts/PackageCycles.java [--max N] [repo-root]}. Exit
 * status 1 when there are more than N cycles (default 0), so CI can hold the count where it is while
 * a known cycle waits for its fix; 0 otherwise.
 *
 * <p>A reference is an import (single, wildcard or static) or a fully qualified name in the code
 * ({@code dev.winnow.x.Y}); the package is the part before the first capitalised segment. Only
 * packages that have main sources in the tree count, so JDK and library imports drop out.
 */
public class PackageCycles {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:[a-z_]\\w*\\.)+)[A-Z]\\w*");

    public static void main(String[] args) throws IOException {
        int max = 0;
        Path root = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--max") && i + 1 < args.length) max = Integer.parseInt(args[++i]);
            else if (args[i].startsWith("-")) throw new IllegalArgumentException("usage: PackageCycles [--max N] [repo-root]; unknown " + args[i]);
            else root = Path.of(args[i]);
        }
        Map<Path, String> packageOf = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(PackageCycles::isMainSource)::iterator) {
                Matcher m = PACKAGE.matcher(Files.readString(f));
                if (m.find()) packageOf.put(f, m.group(1));
            }
        }
        Set<String> known = new TreeSet<>(packageOf.values());
        Map<String, Map<String, Set<String>>> edges = new TreeMap<>(); // from -> to -> files
        for (Map.Entry<Path, String> e : packageOf.entrySet()) {
            String code = stripComments(Files.readString(e.getKey()));
            Matcher m = QUALIFIED.matcher(code);
            while (m.find()) {
                String to = m.group(1).substring(0, m.group(1).length() - 1);
                if (to.equals(e.getValue()) || !known.contains(to)) continue;
                edges.computeIfAbsent(e.getValue(), k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                        .add(root.relativize(e.getKey()).toString());
            }
        }
        List<List<String>> cycles = stronglyConnected(known, edges);
        System.out.println(cycles.size() + " package cycle" + (cycles.size() == 1 ? "" : "s") + " among " + known.size() + " packages");
        for (List<String> cycle : cycles) {
            System.out.println("cycle: " + String.join(" <-> ", cycle));
            for (String from : cycle) {
                for (Map.Entry<String, Set<String>> to : edges.getOrDefault(from, Map.of()).entrySet()) {
                    if (cycle.contains(to.getKey())) System.out.println("  " + from + " -> " + to.getKey() + ": " + String.join(", ", to.getValue()));
                }
            }
        }
        if (cycles.size() > max) System.out.println("more than the " + max + " allowed");
        System.exit(cycles.size() > max ? 1 : 0);
    }

    private static boolean isMainSource(Path p) {
        String s = p.toString().replace('\\', '/');
        return s.endsWith(".java") && s.contains("/src/main/java/") && !s.contains("/target/");
    }

    /** Comments and string literals removed, so a name in a Javadoc or a message is not a dependency. */
    private static String stripComments(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ").replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
    }

    /** Tarjan's algorithm; components of one package are not cycles and are left out. */
    private static List<List<String>> stronglyConnected(Set<String> nodes, Map<String, Map<String, Set<String>>> edges) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String n : nodes) if (!index.containsKey(n)) visit(n, edges, index, low, stack, onStack, out, counter);
        return out;
    }

    private static void visit(String v, Map<String, Map<String, Set<String>>> edges, Map<String, Integer> index, Map<String, Integer> low,
                              Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                visit(w, edges, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(null);
                out.add(component);
            }
        }
    }
}
