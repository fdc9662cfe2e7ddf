package dev.winnow.registry;

import java.util.regex.Pattern;

/**
 * Model and alias names become path segments and URL parts, so they are restricted: lower-case
 * letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters. That
 * rules out path traversal ("..", "/"), hidden files and encodings by construction.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Names() {}

    public static String model(String name) throws RegistryException {
        return check(name, "model");
    }

    public static String alias(String name) throws RegistryException {
        return check(name, "alias");
    }

    private static String check(String name, String what) throws RegistryException {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new RegistryException(RegistryException.Kind.BAD_REQUEST,
                    "invalid " + what + " name '" + abbreviate(name) + "': use [a-z0-9][a-z0-9._-], at most 64 characters");
        }
        return name;
    }

    static String abbreviate(String s) {
        if (s == null) return "null";
        String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
