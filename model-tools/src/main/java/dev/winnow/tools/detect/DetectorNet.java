package dev.winnow.tools.detect;

import dev.winnow.tools.nn.FastGrnn;
import dev.winnow.tools.nn.Ops;
import dev.winnow.tools.nn.Param;
import dev.winnow.tools.nn.ParamList;
import dev.winnow.tools.nn.RnnPoolOp;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import dev.winnow.runtime.quant.QuantParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The student: an RNNPool CNN in the style of RNNPool-Face-M4, on one 240x320 gray channel.
 * <pre>
 *   stem   conv 3x3/2, 1 → C1, relu6            120x160xC1
 *   down   conv 3x3/2, C1 → C2, relu6           60x80xC2
 *   pool   RNNPool patch P stride P, h1 = h2 = H   15x20x4H   (P = 4)
 *   B x    MBConv (1x1 expand ×E relu6, 3x3 depthwise relu6, 1x1 project, residual)
 *   ctx    (with context K &gt; 0) conv 3x3/2 → K relu6, conv 3x3/2 → K relu6 (8x10, 4x5), 1x1 → 4H,
 *          bilinear back to 15x20, added to the features
 *   score  conv 3x3, → 1 logit per anchor; box conv 1x1 → (dx, dy, tw, th) per anchor
 * </pre>
 * {@code subX}·{@code subY} anchors per 16x16 cell (standard: 2, the cell's left and right halves);
 * the runtime's {@code detect} node decodes and suppresses.
 */
public final class DetectorNet {
    public static final int IN_H = 240, IN_W = 320;

    /**
     * {@code subX} x {@code subY} anchors per cell, all of size (anchorW, anchorH): anchor (sy, sx) owns the
     * people whose centre falls in that sub-cell, so two people side by side in one 16x16 cell get a
     * slot each. The box offsets stay relative to the cell centre, as the runtime's {@code detect} decodes.
     */
    /**
     * {@code context}: channels of the context branch (0: none). A score cell of the plain network sees about
     * 7x7 cells (112 pixels) of the frame, less in effect, so a person taller than that is judged from a fragment;
     * the branch brings each cell the features of a 4x5 grid over the whole frame, upsampled and added.
     */
    public record Config(int c1, int c2, int hidden, int patch, int blocks, int expansion, float anchorW, float anchorH, int subX, int subY,
                         int context) {
        public Config {
            if (context < 0) throw new IllegalArgumentException("context channels must be >= 0, not " + context);
        }

        public Config(int c1, int c2, int hidden, int patch, int blocks, int expansion, float anchorW, float anchorH, int subX, int subY) {
            this(c1, c2, hidden, patch, blocks, expansion, anchorW, anchorH, subX, subY, 0);
        }

        public static Config standard() {
            return new Config(4, 16, 8, 4, 2, 2, 14f, 36f, 2, 1);
        }

        /** The first student's head: one anchor per cell. */
        public static Config oneAnchor() {
            return new Config(4, 16, 8, 4, 2, 2, 14f, 36f, 1, 1);
        }

        /** The same network with {@code x} x {@code y} anchors per cell. */
        public Config withAnchors(int x, int y) {
            return new Config(c1, c2, hidden, patch, blocks, expansion, anchorW, anchorH, x, y, context);
        }

        /** The same network with {@code blocks} MBConv blocks of expansion {@code expansion}. */
        public Config withBlocks(int blocks, int expansion) {
            return new Config(c1, c2, hidden, patch, blocks, expansion, anchorW, anchorH, subX, subY, context);
        }

        /** The same network with a context branch of {@code channels} (0: without). */
        public Config withContext(int channels) {
            return new Config(c1, c2, hidden, patch, blocks, expansion, anchorW, anchorH, subX, subY, channels);
        }

        public int anchors() { return subX * subY; }

        float[] anchorSizes() {
            float[] a = new float[2 * anchors()];
            for (int k = 0; k < anchors(); k++) {
                a[2 * k] = anchorW;
                a[2 * k + 1] = anchorH;
            }
            return a;
        }

        int gridH() { return IN_H / 4 / patch; }
        int gridW() { return IN_W / 4 / patch; }
        int features() { return 4 * hidden; }

        /** The context branch's two grids: SAME padding halves each side, rounding up (15x20 → 8x10 → 4x5). */
        int[] contextGrid(int halvings) {
            int h = gridH(), w = gridW();
            for (int k = 0; k < halvings; k++) {
                h = (h + 1) / 2;
                w = (w + 1) / 2;
            }
            return new int[] {h, w};
        }
    }

    /** The context branch's weights (see {@link Config}). */
    public record Context(Param down1W, Param down1B, Param down2W, Param down2B, Param liftW, Param liftB) {}

    public record Block(Param expandW, Param expandB, Param dwW, Param dwB, Param projectW, Param projectB) {}

    public final Config cfg;
    public final Param stemW, stemB, downW, downB, scoreW, scoreB, boxW, boxB;
    public final FastGrnn rnn1, rnn2;
    public final List<Block> blocks = new ArrayList<>();
    /** The context branch, or null without one. */
    public final Context context;
    /** The frame-level presence head ({@link PresenceHead}), or null without one. */
    final PresenceHead presence;
    private final ParamList params = new ParamList();

    public DetectorNet(Config cfg, int workers, long seed) {
        this(cfg, workers, seed, 0);
    }

    /**
     * With {@code presenceHidden} &gt; 0, a frame-level presence head of that many hidden units after the box head;
     * its parameters come last, so the backbone's and the heads' weights keep their order (a checkpoint of a network
     * without the head loads into the first {@link #backboneParams} of one with it).
     */
    public DetectorNet(Config cfg, int workers, long seed, int presenceHidden) {
        this.cfg = cfg;
        Random r = new Random(seed);
        int f = cfg.features();
        stemW = params.add(new Param("stem.filter", new int[] {3, 3, 1, cfg.c1()}, workers).init(r, 9, Math.sqrt(2)));
        stemB = params.add(new Param("stem.bias", new int[] {cfg.c1()}, workers));
        downW = params.add(new Param("down.filter", new int[] {3, 3, cfg.c1(), cfg.c2()}, workers).init(r, 9 * cfg.c1(), Math.sqrt(2)));
        downB = params.add(new Param("down.bias", new int[] {cfg.c2()}, workers));
        rnn1 = new FastGrnn("pool.rnn1", cfg.c2(), cfg.hidden(), workers, r);
        rnn2 = new FastGrnn("pool.rnn2", cfg.hidden(), cfg.hidden(), workers, r);
        rnn1.params().forEach(params::add);
        rnn2.params().forEach(params::add);
        int mid = f * cfg.expansion();
        for (int b = 0; b < cfg.blocks(); b++) {
            String n = "mb" + b;
            blocks.add(new Block(
                    params.add(new Param(n + ".expand.filter", new int[] {1, 1, f, mid}, workers).init(r, f, Math.sqrt(2))),
                    params.add(new Param(n + ".expand.bias", new int[] {mid}, workers)),
                    params.add(new Param(n + ".dw.filter", new int[] {3, 3, mid}, workers).init(r, 9, Math.sqrt(2))),
                    params.add(new Param(n + ".dw.bias", new int[] {mid}, workers)),
                    params.add(new Param(n + ".project.filter", new int[] {1, 1, mid, f}, workers).init(r, mid, 0.5)),
                    params.add(new Param(n + ".project.bias", new int[] {f}, workers))));
        }
        int a = cfg.anchors();
        scoreW = params.add(new Param("score.filter", new int[] {3, 3, f, a}, workers).init(r, 9 * f, 0.1));
        scoreB = params.add(new Param("score.bias", new int[] {a}, workers).fill(-4f)); // prior ≈ 2% of cells hold a person
        boxW = params.add(new Param("box.filter", new int[] {1, 1, f, 4 * a}, workers).init(r, f, 0.1));
        boxB = params.add(new Param("box.bias", new int[] {4 * a}, workers));
        // drawn after the heads, so the rest of the network initialises as it does without the branch; the lift
        // starts at zero, so the branch adds nothing until it has learned something (as a residual branch does)
        int k = cfg.context();
        context = k == 0 ? null : new Context(
                params.add(new Param("ctx.down1.filter", new int[] {3, 3, f, k}, workers).init(r, 9 * f, Math.sqrt(2))),
                params.add(new Param("ctx.down1.bias", new int[] {k}, workers)),
                params.add(new Param("ctx.down2.filter", new int[] {3, 3, k, k}, workers).init(r, 9 * k, Math.sqrt(2))),
                params.add(new Param("ctx.down2.bias", new int[] {k}, workers)),
                params.add(new Param("ctx.lift.filter", new int[] {1, 1, k, f}, workers)),
                params.add(new Param("ctx.lift.bias", new int[] {f}, workers)));
        backbone = params.all().size();
        // drawn after every other weight, so the rest of the network initialises as it does without the head
        presence = presenceHidden > 0 ? new PresenceHead(f, presenceHidden, workers, r) : null;
        if (presence != null) presence.params().forEach(params::add);
    }

    private final int backbone;

    public List<Param> params() { return params.all(); }

    /** Every parameter but the presence head's: what a network without the head has, in the same order. */
    public List<Param> backboneParams() { return params.all().subList(0, backbone); }

    /** Whether the network has a frame-level presence head. */
    public boolean hasPresence() { return presence != null; }

    public long parameterCount() { return params.count(); }

    /**
     * Head outputs: score logits [gh, gw, A], box offsets [gh, gw, 4A], the presence logit [1, 1, 1] (null without
     * the head); every intermediate on request.
     */
    public record Output(Tensor scores, Tensor boxes, Tensor presence, List<Tensor> activations) {
        public Output(Tensor scores, Tensor boxes, List<Tensor> activations) {
            this(scores, boxes, null, activations);
        }
    }

    /**
     * With activation quantization set (one {@link QuantParams} per activation, in the order
     * {@link Output#activations} lists them), forward passes round every activation to its int8 grid,
     * as the int8 graph will: quantization-aware training. Null turns it off.
     */
    public void quantizeActivations(QuantParams[] q) {
        this.actQuant = q == null ? null : q.clone();
    }

    private QuantParams[] actQuant;

    /** Records an activation, rounded to its int8 grid when quantization-aware. */
    private Tensor act(Tape t, List<Tensor> acts, Tensor x) {
        if (actQuant != null) x = Ops.fakeQuant(t, x, actQuant[acts.size()]);
        acts.add(x);
        return x;
    }

    /** Forward pass on a [240, 320, 1] image in [0, 1]. */
    public Output forward(Tape t, Tensor image) {
        List<Tensor> acts = new ArrayList<>();
        Tensor x = act(t, acts, Ops.relu6(t, Ops.conv2d(t, image, stemW, stemB, 3, 2)));
        x = act(t, acts, Ops.relu6(t, Ops.conv2d(t, x, downW, downB, 3, 2)));
        x = act(t, acts, RnnPoolOp.apply(t, x, rnn1, rnn2, cfg.patch(), cfg.patch()));
        for (Block b : blocks) {
            Tensor e = act(t, acts, Ops.relu6(t, Ops.conv2d(t, x, b.expandW(), b.expandB(), 1, 1)));
            Tensor d = act(t, acts, Ops.relu6(t, Ops.depthwise(t, e, b.dwW(), b.dwB(), 3, 1)));
            Tensor p = act(t, acts, Ops.conv2d(t, d, b.projectW(), b.projectB(), 1, 1));
            x = act(t, acts, Ops.add(t, x, p));
        }
        if (context != null) {
            Tensor c = act(t, acts, Ops.relu6(t, Ops.conv2d(t, x, context.down1W(), context.down1B(), 3, 2)));
            c = act(t, acts, Ops.relu6(t, Ops.conv2d(t, c, context.down2W(), context.down2B(), 3, 2)));
            // lifted to the feature width before upsampling: a 1x1 conv and a bilinear blend commute, and 4x5 is cheaper than 15x20
            c = act(t, acts, Ops.conv2d(t, c, context.liftW(), context.liftB(), 1, 1));
            c = act(t, acts, Ops.resizeBilinear(t, c, x.h, x.w));
            x = act(t, acts, Ops.add(t, x, c));
        }
        Tensor s = act(t, acts, Ops.conv2d(t, x, scoreW, scoreB, 3, 1));
        Tensor bx = act(t, acts, Ops.conv2d(t, x, boxW, boxB, 1, 1));
        Tensor pr = null;
        if (presence != null) { // the pooled features share the last feature map's int8 grid, so they are no activation of their own
            Tensor h = act(t, acts, presence.hidden(t, PresenceHead.pool(t, x)));
            pr = act(t, acts, presence.logit(t, h));
        }
        return new Output(s, bx, pr, acts);
    }

    /** The convolution filters the int8 graph quantizes per output channel (RNNPool's cells run in Q15 instead). */
    public List<Param> convFilters() {
        List<Param> r = new ArrayList<>(List.of(stemW, downW));
        for (Block b : blocks) r.addAll(List.of(b.expandW(), b.dwW(), b.projectW()));
        if (context != null) r.addAll(List.of(context.down1W(), context.down2W(), context.liftW()));
        r.add(scoreW);
        r.add(boxW);
        return r;
    }
}
