package dev.winnow.connectors.avro;

import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Reads raw Avro binary into a POJO (see {@link AvroFormat}). Malformed bytes throw an
 * {@link IOException}; {@link SkipMalformedDeserializationSchema} turns that into a counted skip.
 */
public final class PojoAvroDeserializationSchema<P> extends FormatCodec<P> implements DeserializationSchema<P> {
    private static final long serialVersionUID = 1L;

    PojoAvroDeserializationSchema(AvroFormat<P, ?> format) {
        super(format);
    }

    public AvroFormat<P, ?> format() {
        return format;
    }

    @Override
    public void open(InitializationContext context) {
        codec();
    }

    @Override
    public P deserialize(byte[] message) throws IOException {
        return codec().decode(message);
    }

    @Override
    public boolean isEndOfStream(P nextElement) {
        return false;
    }

    @Override
    public TypeInformation<P> getProducedType() {
        return TypeInformation.of(format.pojoClass());
    }
}
