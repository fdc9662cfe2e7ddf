package dev.winnow.runtime.family;

import dev.winnow.runtime.format.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** EdgeML's known-answer vectors (test resources /edgeml, see the README there). */
final class KnownAnswers {
    private final Map<String, Object> json;

    KnownAnswers(String resource) throws Exception {
        try (InputStream in = KnownAnswers.class.getResourceAsStream("/edgeml/" + resource)) {
            json = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    float[] floats(String key) {
        List<?> l = (List<?>) json.get(key);
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).floatValue();
        return a;
    }

    float number(String key) {
        return ((Number) json.get(key)).floatValue();
    }

    int integer(String key) {
        return ((Number) json.get(key)).intValue();
    }
}
