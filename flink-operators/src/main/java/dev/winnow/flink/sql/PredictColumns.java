package dev.winnow.flink.sql;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * How a model's SQL schema maps onto its tensors, checked when the model is created. Inputs: numeric
 * columns (one feature each) or numeric arrays (several), flattened in column order into the model's
 * input vector. Outputs are named for what they carry.
 */
final class PredictColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What an output column holds. */
    enum Output {
        LABEL("label", "STRING: the best class's label"),
        SCORE("score", "FLOAT or DOUBLE: the best class's score"),
        CLASS_INDEX("class_index", "INT: the best class's index"),
        SCORES("scores", "ARRAY<FLOAT>: every output value"),
        MODEL_NAME("model_name", "STRING: the model's name"),
        MODEL_VERSION("model_version", "INT: the registry version that scored the row");

        final String column;
        final String description;

        Output(String column, String description) {
            this.column = column;
            this.description = description;
        }
    }

    final LogicalTypeRoot[] inputRoots;
    final boolean[] inputIsArray;
    final Output[] outputs;
    final boolean[] outputIsDouble;

    private PredictColumns(LogicalTypeRoot[] inputRoots, boolean[] inputIsArray, Output[] outputs, boolean[] outputIsDouble) {
        this.inputRoots = inputRoots;
        this.inputIsArray = inputIsArray;
        this.outputs = outputs;
        this.outputIsDouble = outputIsDouble;
    }

    static PredictColumns of(ResolvedSchema input, ResolvedSchema output) {
        List<Column> in = input.getColumns();
        if (in.isEmpty()) throw new ValidationException("a winnow model needs at least one INPUT column");
        LogicalTypeRoot[] roots = new LogicalTypeRoot[in.size()];
        boolean[] arrays = new boolean[in.size()];
        for (int i = 0; i < in.size(); i++) {
            LogicalType t = in.get(i).getDataType().getLogicalType();
            if (t instanceof ArrayType a) {
                arrays[i] = true;
                t = a.getElementType();
            }
            roots[i] = t.getTypeRoot();
            if (!numeric(roots[i])) {
                throw new ValidationException("INPUT column " + in.get(i).getName() + " is " + in.get(i).getDataType()
                        + "; winnow models take numeric columns or numeric arrays");
            }
        }
        List<Column> out = output.getColumns();
        if (out.isEmpty()) throw new ValidationException("a winnow model needs at least one OUTPUT column");
        Output[] outputs = new Output[out.size()];
        boolean[] doubles = new boolean[out.size()];
        for (int i = 0; i < out.size(); i++) {
            Column c = out.get(i);
            Output o = find(c.getName());
            LogicalType t = c.getDataType().getLogicalType();
            LogicalTypeRoot r = t.getTypeRoot();
            boolean ok = switch (o) {
                case LABEL, MODEL_NAME -> r == LogicalTypeRoot.VARCHAR || r == LogicalTypeRoot.CHAR;
                case SCORE -> r == LogicalTypeRoot.FLOAT || r == LogicalTypeRoot.DOUBLE;
                case CLASS_INDEX, MODEL_VERSION -> r == LogicalTypeRoot.INTEGER;
                case SCORES -> t instanceof ArrayType a && a.getElementType().getTypeRoot() == LogicalTypeRoot.FLOAT;
            };
            if (!ok) throw new ValidationException("OUTPUT column " + c.getName() + " is " + c.getDataType() + "; it must be " + o.description);
            outputs[i] = o;
            doubles[i] = r == LogicalTypeRoot.DOUBLE;
        }
        return new PredictColumns(roots, arrays, outputs, doubles);
    }

    private static Output find(String name) {
        for (Output o : Output.values()) if (o.column.equals(name.toLowerCase(Locale.ROOT))) return o;
        List<String> known = new ArrayList<>();
        for (Output o : Output.values()) known.add(o.column + " " + o.description);
        throw new ValidationException("unknown OUTPUT column " + name + "; a winnow model can output: " + String.join("; ", known));
    }

    private static boolean numeric(LogicalTypeRoot r) {
        return switch (r) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }
}
