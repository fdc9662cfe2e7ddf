package dev.winnow.tools.train;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.tools.model.FamilyArtifacts;
import dev.winnow.tools.model.TensorEncoding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trained models to artifacts and back, with the metadata the tables and registries use. */
public final class ModelExport {
    private ModelExport() {}

    /** What goes into the metadata besides the weights. */
    public record Info(String name, String dataset, List<String> labels, Map<String, Object> provenance, Map<String, Double> metrics) {
        public Info {
            provenance = provenance == null ? new LinkedHashMap<>() : new LinkedHashMap<>(provenance);
            metrics = metrics == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metrics);
        }

        public Info metric(String k, double v) {
            Map<String, Double> m = new LinkedHashMap<>(metrics);
            m.put(k, v);
            return new Info(name, dataset, labels, provenance, m);
        }

        public Info provenance(String k, Object v) {
            Map<String, Object> p = new LinkedHashMap<>(provenance);
            p.put(k, v);
            return new Info(name, dataset, labels, p, metrics);
        }

        public static Info of(Metadata md) {
            Map<String, Double> metrics = new LinkedHashMap<>(md.metrics());
            return new Info(md.name(), String.valueOf(md.provenance().getOrDefault("dataset", "")), md.labels(), md.provenance(), metrics);
        }
    }

    static Metadata.Builder metadata(String family, int features, Info info) {
        Metadata.Builder b = Metadata.builder(info.name(), family).input("x", new int[] {features}, "float32", "features", null);
        if (info.labels() != null && !info.labels().isEmpty()) b.labels(info.labels());
        b.provenance("tool", "winnow model-tools");
        if (info.dataset() != null && !info.dataset().isEmpty()) b.provenance("dataset", info.dataset());
        info.provenance().forEach((k, v) -> { if (!k.equals("tool") && !k.equals("dataset")) b.provenance(k, v); });
        info.metrics().forEach(b::metric);
        return b;
    }

    public static byte[] toArtifact(TrainableModel m, Map<String, TensorEncoding> enc, Info info) {
        if (m instanceof BonsaiModel) return FamilyArtifacts.bonsai(((BonsaiModel) m).tensors(), enc, metadata("bonsai", m.features(), info));
        if (m instanceof ProtoNnModel) return FamilyArtifacts.protoNn(((ProtoNnModel) m).tensors(), enc, metadata("protonn", m.features(), info));
        throw new IllegalArgumentException("cannot export " + m.getClass().getSimpleName());
    }

    /** The trainable form of a Bonsai or ProtoNN artifact (weights as the runtime decodes them). */
    public static TrainableModel fromArtifact(byte[] bytes) throws ModelFormatException {
        Artifact a = ArtifactReader.read(bytes);
        switch (a.metadata().family()) {
            case "bonsai": return BonsaiModel.fromTensors(FamilyArtifacts.readBonsai(a), null);
            case "protonn": return ProtoNnModel.fromTensors(FamilyArtifacts.readProtoNn(a), null);
            default: throw new ModelFormatException("family '" + a.metadata().family() + "' cannot be compressed or fine-tuned here (bonsai, protonn)");
        }
    }
}
