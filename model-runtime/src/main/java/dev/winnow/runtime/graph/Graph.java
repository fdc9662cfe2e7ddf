package dev.winnow.runtime.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ops in execution order over named activation tensors, with their memory planned. Built once per
 * model; immutable afterwards and shared by all interpreters of the model.
 */
public final class Graph {
    private final List<Op> ops;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final int[] inputOffsets;
    private final int[] outputOffsets;
    private final MemoryPlan plan;

    private Graph(List<Op> ops, List<TensorSpec> inputs, List<TensorSpec> outputs,
                  int[] inputOffsets, int[] outputOffsets, MemoryPlan plan) {
        this.ops = List.copyOf(ops);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.inputOffsets = inputOffsets;
        this.outputOffsets = outputOffsets;
        this.plan = plan;
    }

    /**
     * Checks that the ops form a valid sequence (every tensor read is a graph input or written by an
     * earlier op, written once), plans the arena from tensor lifetimes and binds every op to its
     * offsets. The ops must be fresh: an op belongs to exactly one graph.
     */
    public static Graph compile(List<Op> ops, List<TensorSpec> graphInputs, List<TensorSpec> graphOutputs) {
        if (ops.isEmpty()) throw new IllegalArgumentException("a graph needs at least one op");
        if (graphInputs.isEmpty() || graphOutputs.isEmpty()) {
            throw new IllegalArgumentException("a graph needs at least one input and one output");
        }
        Map<String, TensorSpec> tensors = new LinkedHashMap<>();
        Map<TensorSpec, Integer> first = new IdentityHashMap<>();
        Map<TensorSpec, Integer> last = new IdentityHashMap<>();
        for (TensorSpec t : graphInputs) {
            if (tensors.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("duplicate graph input " + t.name());
            first.put(t, 0);
            last.put(t, 0);
        }
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            for (int k = 0; k < op.inputCount(); k++) {
                TensorSpec t = resolve(tensors, op.input(k), op);
                last.put(t, i);
            }
            for (int k = 0; k < op.outputCount(); k++) {
                TensorSpec t = op.output(k);
                if (tensors.putIfAbsent(t.name(), t) != null) {
                    throw new IllegalArgumentException("tensor '" + t.name() + "' is written twice (by " + op + ")");
                }
                first.put(t, i);
                last.put(t, i);
            }
        }
        int lastOp = ops.size() - 1;
        for (TensorSpec t : graphOutputs) {
            TensorSpec known = tensors.get(t.name());
            if (known == null) throw new IllegalArgumentException("graph output '" + t.name() + "' is never written");
            last.put(known, lastOp);
        }

        List<BufferRequest> requests = new ArrayList<>();
        Map<String, Integer> bufferOf = new HashMap<>();
        for (TensorSpec t : tensors.values()) {
            bufferOf.put(t.name(), requests.size());
            requests.add(new BufferRequest(t.name(), t.type(), t.elementCount(), first.get(t), last.get(t)));
        }
        ElementType[] banks = ElementType.values();
        int[][] scratchRequest = new int[ops.size()][banks.length];
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            for (ElementType bank : banks) {
                int n = op.scratch(bank);
                scratchRequest[i][bank.ordinal()] = n > 0 ? addScratch(requests, op, bank, n, i) : -1;
            }
        }
        int[] planes = new int[ops.size()], planeFloats = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            planes[i] = ops.get(i).scratchPlanes();
            planeFloats[i] = ops.get(i).scratchPlaneFloats();
        }
        MemoryPlan plan = MemoryPlanner.plan(requests).withPlanes(planes, planeFloats);

        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int[] inOff = new int[op.inputCount()];
            int[] outOff = new int[op.outputCount()];
            for (int k = 0; k < inOff.length; k++) inOff[k] = plan.offset(bufferOf.get(op.input(k).name()));
            for (int k = 0; k < outOff.length; k++) outOff[k] = plan.offset(bufferOf.get(op.output(k).name()));
            int[] scratch = new int[banks.length];
            for (int b = 0; b < banks.length; b++) scratch[b] = scratchRequest[i][b] < 0 ? -1 : plan.offset(scratchRequest[i][b]);
            op.bind(inOff, outOff, scratch);
        }
        List<TensorSpec> outs = new ArrayList<>();
        int[] inputOffsets = new int[graphInputs.size()];
        int[] outputOffsets = new int[graphOutputs.size()];
        for (int k = 0; k < graphInputs.size(); k++) inputOffsets[k] = plan.offset(bufferOf.get(graphInputs.get(k).name()));
        for (int k = 0; k < graphOutputs.size(); k++) {
            outs.add(tensors.get(graphOutputs.get(k).name()));
            outputOffsets[k] = plan.offset(bufferOf.get(graphOutputs.get(k).name()));
        }
        return new Graph(ops, graphInputs, outs, inputOffsets, outputOffsets, plan);
    }

    private static TensorSpec resolve(Map<String, TensorSpec> tensors, TensorSpec wanted, Op op) {
        TensorSpec t = tensors.get(wanted.name());
        if (t == null) {
            throw new IllegalArgumentException(op + " reads tensor '" + wanted.name() + "' before anything writes it");
        }
        if (t.type() != wanted.type() || t.elementCount() != wanted.elementCount()) {
            throw new IllegalArgumentException(op + " reads '" + wanted.name() + "' as " + wanted + " but it is " + t);
        }
        return t;
    }

    private static int addScratch(List<BufferRequest> requests, Op op, ElementType bank, int elements, int index) {
        requests.add(new BufferRequest("scratch:" + bank + ":" + op.name(), bank, elements, index, index));
        return requests.size() - 1;
    }

    public List<Op> ops() { return ops; }
    public List<TensorSpec> inputs() { return inputs; }
    public List<TensorSpec> outputs() { return outputs; }
    public MemoryPlan plan() { return plan; }
    public int inputOffset(int i) { return inputOffsets[i]; }
    public int outputOffset(int i) { return outputOffsets[i]; }

    public long macs() {
        long sum = 0;
        for (Op op : ops) sum += op.macs();
        return sum;
    }

    public long parameterCount() {
        long sum = 0;
        for (Op op : ops) sum += op.parameterCount();
        return sum;
    }
}
