import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lists the longest methods of the main sources, so a method that grows past what a reader can
 * hold at once fails the build instead of waiting for a review to notice. Reads sources, not
 * classes, so it needs no build and takes about a second:
 * {@code java scripts/MethodLength.java [--max N] [--top K] [repo-root]}. Prints the K longest
 * (default 5) as {@code lines  file:line  name}, then every method over N lines (default 80); exit
 * status 1 when there is one, 0 otherwise.
 *
 * <p>A method's length runs from the line of its name to the line of its closing brace, so
 * Javadoc and annotations above it do not count and blank lines and comments inside do. Lambdas,
 * local and anonymous classes count toward the method they stand in; a field initialised with an
 * anonymous class counts as a method of its own; so does an initializer block.
 */
public class MethodLength {
    private static final Pattern TYPE_HEADER = Pattern.compile("\\b(class|interface|enum|record)\\b");
    private static final Pattern NAME = Pattern.compile("(?<!@)\\b([A-Za-z_$][\\w$]*)\\s*\\(");

    record Method(int lines, Path file, int line, String name) {}

    public static void main(String[] args) throws IOException {
        int max = 80;
        int top = 5;
        Path root = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--max") && i + 1 < args.length) max = Integer.parseInt(args[++i]);
            else if (args[i].equals("--top") && i + 1 < args.length) top = Integer.parseInt(args[++i]);
            else if (args[i].startsWith("-")) throw new IllegalArgumentException("usage: MethodLength [--max N] [--top K] [repo-root]; unknown " + args[i]);
            else root = Path.of(args[i]);
        }
        List<Method> methods = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(MethodLength::isMainSource)::iterator) {
                methods.addAll(methodsOf(root.relativize(f), blankCommentsAndLiterals(Files.readString(f))));
            }
        }
        methods.sort(Comparator.comparingInt(Method::lines).reversed());
        System.out.println("longest methods of the main sources:");
        for (Method m : methods.subList(0, Math.min(top, methods.size()))) print(m);
        List<Method> over = new ArrayList<>();
        for (Method m : methods) if (m.lines() > max) over.add(m);
        if (over.isEmpty()) {
            System.out.println("no method over " + max + " lines");
            return;
        }
        System.out.println(over.size() + " method(s) over " + max + " lines:");
        for (Method m : over) print(m);
        System.exit(1);
    }

    private static void print(Method m) {
        System.out.printf("%5d  %s:%d  %s%n", m.lines(), m.file(), m.line(), m.name());
    }

    private static boolean isMainSource(Path p) {
        String s = p.toString().replace('\\', '/');
        return s.endsWith(".java") && s.contains("/src/main/java/") && !s.contains("/target/");
    }

    private enum Kind { TYPE, METHOD, BLOCK }

    /** Walks the braces: a brace opened directly in a type body with a parameter list before it is a method. */
    static List<Method> methodsOf(Path file, String code) {
        List<Method> out = new ArrayList<>();
        Deque<Kind> kinds = new ArrayDeque<>();
        Deque<int[]> starts = new ArrayDeque<>(); // line of the name, for METHOD frames
        Deque<String> names = new ArrayDeque<>();
        int headerStart = 0;
        int line = 1;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\n') line++;
            if (c == '{') {
                String header = code.substring(headerStart, i);
                Kind outer = kinds.isEmpty() ? Kind.TYPE : kinds.peek();
                Kind kind;
                if (outer != Kind.TYPE) kind = Kind.BLOCK;
                else if (TYPE_HEADER.matcher(header).find()) kind = Kind.TYPE;
                else kind = Kind.METHOD;
                kinds.push(kind);
                if (kind == Kind.METHOD) {
                    Matcher m = NAME.matcher(header);
                    String name = m.find() ? m.group(1) : "<initializer>";
                    int offset = m.find(0) ? headerStart + m.start(1) : i;
                    starts.push(new int[] {lineAt(code, offset)});
                    names.push(name);
                }
                headerStart = i + 1;
            } else if (c == '}') {
                Kind kind = kinds.isEmpty() ? Kind.BLOCK : kinds.pop();
                if (kind == Kind.METHOD) {
                    int start = starts.pop()[0];
                    out.add(new Method(line - start + 1, file, start, names.pop()));
                }
                headerStart = i + 1;
            } else if (c == ';') {
                headerStart = i + 1;
            }
        }
        return out;
    }

    private static int lineAt(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (code.charAt(i) == '\n') line++;
        return line;
    }

    /** Blanks comments, string, text-block and char literals (keeping newlines) so their braces do not count. */
    static String blankCommentsAndLiterals(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') { out.append(' '); i++; }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                blank(s, i, end, out);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                blank(s, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') j += s.charAt(j) == '\\' ? 2 : 1;
                int end = Math.min(s.length(), j + 1);
                blank(s, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String s, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) out.append(s.charAt(k) == '\n' ? '\n' : ' ');
    }
}
