package dev.winnow.connectors.avro;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Copies a flink-operators POJO to its generated Avro record and back, field by field: each Avro field
 * takes the POJO's public field of the same name. The few ways the two sides differ are rules of the
 * schema, the same for every record, so one mapping serves all of them instead of a hand copy per type:
 * <ul>
 *   <li>{@code timestamp-millis} longs are {@link Instant}s in Avro, epoch milliseconds in the POJO;</li>
 *   <li>enums match by symbol name; {@code bytes} is a {@code byte[]} and {@code array<float>} a
 *       {@code float[]} (null goes out as empty);</li>
 *   <li>a {@code ["null", "int"]} field is an {@code int} in the POJO where a negative value (the POJOs use
 *       -1) means "unknown", i.e. null;</li>
 *   <li>a null POJO value goes out as the field's Avro default; a field with neither a null branch nor a
 *       default refuses it ({@link IllegalArgumentException} naming the field).</li>
 * </ul>
 * POJO fields that the schema does not name (markers, transient state) are left at their defaults when
 * reading. Every Avro field is checked against its POJO field when the mapping is built, so a schema
 * change that a POJO does not follow fails at class load, not on the first record.
 */
final class RecordMapping<P, A extends SpecificRecord> {
    private final Class<P> pojoClass;
    private final Schema schema;
    private final Constructor<P> newPojo;
    private final Constructor<A> newAvro;
    private final Field[] pojoFields;
    private final Rule[] rules;

    /** How one field's value crosses between the two sides. */
    private interface Rule {
        Object toAvro(Object pojoValue);

        Object fromAvro(Object avroValue);
    }

    private static final Rule SAME = new Rule() {
        @Override public Object toAvro(Object v) { return v; }
        @Override public Object fromAvro(Object a) { return a; }
    };

    private static final Rule MILLIS = new Rule() {
        @Override public Object toAvro(Object v) { return Instant.ofEpochMilli((Long) v); }
        @Override public Object fromAvro(Object a) { return ((Instant) a).toEpochMilli(); }
    };

    private static final Rule BYTES = new Rule() {
        @Override public Object toAvro(Object v) { return ByteBuffer.wrap(v == null ? new byte[0] : (byte[]) v); }

        @Override public Object fromAvro(Object a) {
            ByteBuffer d = ((ByteBuffer) a).duplicate();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            return out;
        }
    };

    private static final Rule FLOATS = new Rule() {
        @Override public Object toAvro(Object v) {
            float[] values = v == null ? new float[0] : (float[]) v;
            List<Float> out = new ArrayList<>(values.length);
            for (float f : values) out.add(f);
            return out;
        }

        @Override public Object fromAvro(Object a) {
            List<?> in = (List<?>) a;
            float[] out = new float[in.size()];
            for (int i = 0; i < out.length; i++) out[i] = (Float) in.get(i);
            return out;
        }
    };

    private static final Rule UNKNOWN_AS_NEGATIVE = new Rule() {
        @Override public Object toAvro(Object v) { return (Integer) v < 0 ? null : v; }
        @Override public Object fromAvro(Object a) { return a == null ? -1 : a; }
    };

    RecordMapping(Class<P> pojoClass, Class<A> avroClass) {
        this.pojoClass = pojoClass;
        this.schema = SpecificData.getForClass(avroClass).getSchema(avroClass);
        this.newPojo = noArgConstructor(pojoClass);
        this.newAvro = noArgConstructor(avroClass);
        List<Schema.Field> fields = schema.getFields();
        this.pojoFields = new Field[fields.size()];
        this.rules = new Rule[fields.size()];
        for (Schema.Field f : fields) {
            Field p;
            try {
                p = pojoClass.getField(f.name());
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(pojoClass.getName() + " has no public field " + f.name()
                        + " for " + schema.getFullName());
            }
            if (Modifier.isStatic(p.getModifiers()) || Modifier.isFinal(p.getModifiers())) {
                throw new IllegalStateException(pojoClass.getName() + "." + f.name() + " must be a non-final instance field");
            }
            pojoFields[f.pos()] = p;
            rules[f.pos()] = ruleFor(f, p.getType());
        }
    }

    private Rule ruleFor(Schema.Field f, Class<?> pojoType) {
        Schema s = f.schema();
        Rule r = switch (s.getType()) {
            case LONG -> pojoType != long.class ? null : s.getLogicalType() instanceof LogicalTypes.TimestampMillis ? MILLIS : SAME;
            case BYTES -> pojoType == byte[].class ? BYTES : null;
            case ARRAY -> pojoType == float[].class && s.getElementType().getType() == Schema.Type.FLOAT ? FLOATS : null;
            case ENUM -> pojoType.isEnum() ? enumRule(s, pojoType) : null;
            case UNION -> s.isNullable() && pojoType == int.class ? UNKNOWN_AS_NEGATIVE : SAME;
            case STRING -> pojoType == String.class ? SAME : null;
            case INT -> pojoType == int.class ? SAME : null;
            case FLOAT -> pojoType == float.class ? SAME : null;
            case DOUBLE -> pojoType == double.class ? SAME : null;
            case BOOLEAN -> pojoType == boolean.class ? SAME : null;
            default -> null;
        };
        if (r == null) {
            throw new IllegalStateException(schema.getName() + "." + f.name() + " (" + s.getType() + ") cannot map to "
                    + pojoType.getSimpleName() + " " + pojoClass.getSimpleName() + "." + f.name());
        }
        return r;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Rule enumRule(Schema s, Class<?> pojoEnum) {
        Class avroEnum = SpecificData.get().getClass(s);
        return new Rule() {
            @Override public Object toAvro(Object v) { return v == null ? null : Enum.valueOf(avroEnum, ((Enum<?>) v).name()); }
            @Override public Object fromAvro(Object a) { return a == null ? null : Enum.valueOf((Class) pojoEnum, ((Enum<?>) a).name()); }
        };
    }

    A toAvro(P pojo) {
        A a = newInstance(newAvro);
        for (Schema.Field f : schema.getFields()) {
            Object v = rules[f.pos()].toAvro(get(pojoFields[f.pos()], pojo));
            if (v == null && !f.schema().isNullable()) {
                if (!f.hasDefaultValue()) {
                    throw new IllegalArgumentException(pojoClass.getSimpleName() + "." + f.name() + " is null; "
                            + schema.getName() + " needs a value");
                }
                v = SpecificData.get().getDefaultValue(f);
            }
            a.put(f.pos(), v);
        }
        return a;
    }

    P fromAvro(A avro) {
        P p = newInstance(newPojo);
        for (int i = 0; i < rules.length; i++) {
            try {
                pojoFields[i].set(p, rules[i].fromAvro(avro.get(i)));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return p;
    }

    private static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> Constructor<T> noArgConstructor(Class<T> c) {
        try {
            return c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(c.getName() + " needs a public no-argument constructor", e);
        }
    }

    private static <T> T newInstance(Constructor<T> c) {
        try {
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + c.getDeclaringClass().getName(), e);
        }
    }
}
