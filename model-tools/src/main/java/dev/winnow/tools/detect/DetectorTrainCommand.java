package dev.winnow.tools.detect;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.winnow.tools.nn.OptimiserOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code winnow detector train}: trains the RNNPool student and exports its float and int8
 * artifacts (scripts/detector/train.sh has the shipped options). Every option is typed and documented;
 * an unknown or mistyped one is refused with a suggestion instead of being ignored. The trainer reads
 * the options from this object ({@link DetectorTrainer#train}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the person-detector student from the teacher's labels and export float and int8 artifacts.",
                "Data: scripts/data/fetch-footage.sh's frames under --data; labels: the CenterNet teacher's (--labels teacher).",
                "Adam on a cosine schedule; --threads 1 reproduces the committed artifacts bit for bit."})
final class DetectorTrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DetectorOptions.Data data;
    @Mixin OptimiserOptions optimiser = OptimiserOptions.defaults().epochs(14).batch(8).lr(0.004).seed(7).threads(2);
    @Option(names = "--labels", description = "'teacher' (data/<clip>/teacher.csv) or a box CSV clip,frame,x,y,w,h[,score] (default: <data>/labels.csv)") String labels;
    @Option(names = "--clips", split = ",", description = "other cameras' clips to train on, comma-separated (default with --labels teacher: the manifest's role-train clips but vtest and tree)") List<String> clips;
    @Option(names = "--repeat-clips", defaultValue = "1", description = "times per epoch the other clips' frames are seen (default: ${DEFAULT-VALUE})") int repeatClips;
    @Option(names = "--clip-weight", description = "times per epoch one clip's frames are seen, e.g. album=8 (overrides --repeat-clips for it; photo sets hold few frames)") java.util.Map<String, Integer> clipWeights = new java.util.TreeMap<>();
    @Option(names = "--limit", defaultValue = "0", description = "train on the first N frames only, for quick checks (default: all)") int limit;
    @Option(names = "--oversample", defaultValue = "1", description = "crowded and far-people frames this many times per epoch (default: ${DEFAULT-VALUE})") int oversample;
    @Option(names = "--zoom", defaultValue = "0", description = "probability of a zoom-in augmentation (default: ${DEFAULT-VALUE})") float zoom;
    @Option(names = "--enlarge", defaultValue = "0", description = "zoom a third of the camera frames in by up to this factor (0 = off; e.g. 4) (default: ${DEFAULT-VALUE})") float enlarge;
    @Option(names = "--paste", defaultValue = "0", description = "fraction of frames with people that get copy-pasted people (default: ${DEFAULT-VALUE})") float paste;
    @Option(names = "--paste-max", defaultValue = "3", description = "people pasted per frame at most (default: ${DEFAULT-VALUE})") int pasteMax;
    @Option(names = "--paste-far", defaultValue = "0", description = "of the pastes placed alone, the fraction sent far away, shrunk (default: ${DEFAULT-VALUE})") float pasteFar;
    @Option(names = "--synthetic", defaultValue = "0", description = "synthetic crowd scenes per epoch on the plate and other cameras' empty frames (needs --paste)") int synthetic;
    @Option(names = "--pasted", defaultValue = "0", description = "scenes per epoch of people pasted at any size on other cameras' people-free frames (needs --paste)") int pasted;
    @Option(names = "--paste-objects", split = ",", description = "clips of people-free pictures of animals and things (stamps laid on black) that --object-scenes pastes, e.g. animals,objects") List<String> pasteObjects = new java.util.ArrayList<>();
    @Option(names = "--object-scenes", defaultValue = "0", description = "scenes per epoch of one --paste-objects picture pasted large (0.5 to 1.25 of the frame's height) on another camera's people-free frame, half of them with people pasted too (needs --paste); 0 = none (default: ${DEFAULT-VALUE})") int objectScenes;
    @Option(names = "--anchors", description = "anchors per cell across x down, e.g. 2x2") String anchors;
    @Option(names = "--blocks", description = "MBConv blocks") Integer blocks;
    @Option(names = "--expansion", description = "MBConv expansion") Integer expansion;
    @Option(names = "--context", defaultValue = "0", description = "channels of a context branch (two stride-2 convs to a 4x5 grid over the whole frame, upsampled and added before the heads), so large people are seen whole; 0 = none (default: ${DEFAULT-VALUE})") int context;
    @Option(names = "--adaptive-sigma", description = "score targets of large people with CenterNet's size-adaptive Gaussian (sigma from the box size) instead of one sigma for all; the shipped student was trained without") boolean adaptiveSigma;
    @Option(names = "--presence-hidden", defaultValue = "0", description = "hidden units of a frame-level presence head (global average and max pool of the last feature map, dense, one logit); 0 = no head (default: ${DEFAULT-VALUE})") int presenceHidden;
    @Option(names = "--presence-weight", defaultValue = "1", description = "weight of the presence head's cross-entropy beside the anchor losses (default: ${DEFAULT-VALUE})") float presenceWeight;
    @Option(names = "--presence-val-every", defaultValue = "5", description = "with a presence head, every Nth frame of each training video (clips without --clip-weight) chooses the presence gate instead of training; 0 = none (default: ${DEFAULT-VALUE})") int presenceValEvery;
    @Option(names = "--presence-gate", defaultValue = "auto", description = "the presence gate: auto (chosen on the validation frames) or THRESHOLD,VETO, e.g. 0.5,0 (default: ${DEFAULT-VALUE})") String presenceGate;
    @Option(names = "--presence-only", description = "train the presence head alone: the backbone and anchor heads keep the --init weights") boolean presenceOnly;
    @Option(names = "--ema", defaultValue = "0", description = "export the moving average of the weights with this decay; 0 = off (default: ${DEFAULT-VALUE})") float ema;
    @Option(names = "--nms", defaultValue = "iou", description = "suppression rules tried at export: iou, center (centre distance) or both (default: ${DEFAULT-VALUE})") String nms;
    @Option(names = "--select-on", defaultValue = "float", description = "choose the threshold on the float or int8 head (default: ${DEFAULT-VALUE})") String selectOn;
    @Option(names = "--score-floor", description = "quantize the int8 score logits over [floor, max]") Float scoreFloor;
    @Option(names = "--calibrate", defaultValue = "48", description = "frames calibrating the int8 activation ranges (default: ${DEFAULT-VALUE})") int calibrate;
    @Option(names = "--bias-correct", defaultValue = "0", description = "frames for empirical int8 bias correction; 0 = off (default: ${DEFAULT-VALUE})") int biasCorrect;
    @Option(names = "--qat", defaultValue = "0", description = "1: quantization-aware fine-tuning (needs --init); 0: off (default)") int qat;
    @Option(names = "--init", description = "start from these parameters (fine-tuning)") Path init;
    @Option(names = "--init-artifact", description = "start from this detector artifact's weights (float or int8, read back by DetectorImport), e.g. the shipped float student") Path initArtifact;
    @Option(names = "--export-only", description = "export the parameters in --params-out without training") boolean exportOnly;
    @Option(names = "--val-counts", defaultValue = "model-tools/detector/validation-counts.csv", description = "hand counts that choose the threshold (default: ${DEFAULT-VALUE})") Path valCounts;
    @Option(names = "--carve", description = "training frames a-b also validate") String carve;
    @Option(names = "--carve-counts", description = "hand counts of the carved frames") Path carveCounts;
    @Option(names = "--params-out", defaultValue = "data/detector/student.params", description = "default: ${DEFAULT-VALUE}") Path paramsOut;
    @Option(names = "--out", defaultValue = "model-tools/detector/person-detector-int8.wnm", description = "int8 artifact (default: ${DEFAULT-VALUE})") Path out;
    @Option(names = "--float-out", defaultValue = "model-tools/detector/person-detector-float.wnm", description = "float artifact (default: ${DEFAULT-VALUE})") Path floatOut;

    @Override
    public Integer call() throws Exception {
        optimiser.check(spec.commandLine());
        if (qat != 0 && qat != 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--qat is 0 or 1, not " + qat);
        if (qat == 1 && init == null && initArtifact == null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--qat needs --init (the activation ranges come from the starting weights)");
        if ((synthetic > 0 || pasted > 0) && paste <= 0) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--synthetic and --pasted need --paste");
        if (!List.of("iou", "center", "both").contains(nms)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nms is iou, center or both, not " + nms);
        if (!List.of("float", "int8").contains(selectOn)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--select-on is float or int8, not " + selectOn);
        if (context < 0 || context > 256) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--context is 0 (off) to 256, not " + context);
        if (presenceHidden < 0 || presenceHidden > 256) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--presence-hidden is 0 (off) to 256, not " + presenceHidden);
        if (!(presenceWeight >= 0f)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--presence-weight must be >= 0, not " + presenceWeight);
        if (presenceValEvery < 0 || presenceValEvery == 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--presence-val-every is 0 (off) or at least 2, not " + presenceValEvery);
        try {
            DetectorTrainer.presenceGate(presenceGate);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--presence-gate: " + e.getMessage());
        }
        if (init != null && initArtifact != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--init and --init-artifact: give one starting point");
        if (presenceOnly && (presenceHidden == 0 || (init == null && initArtifact == null)))
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--presence-only needs --presence-hidden and --init or --init-artifact");
        if (anchors != null && !anchors.matches("[1-9]x[1-9]")) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--anchors is AxD (e.g. 2x2), not " + anchors);
        // without --clips: every training clip of the manifest but vtest and tree, which are read on their own
        if (clips == null) clips = "teacher".equals(labels) ? data.clips("train", "vtest", "tree") : List.of();
        for (String c : clipWeights.keySet())
            if (!clips.contains(c)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--clip-weight " + c + ": not one of the training clips " + clips);
        if (objectScenes < 0 || (objectScenes > 0 && (paste <= 0 || pasteObjects.isEmpty())))
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--object-scenes is 0 (off) or N scenes with --paste and --paste-objects, not " + objectScenes);
        for (String c : pasteObjects)
            if (!clips.contains(c)) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--paste-objects " + c + ": not one of the training clips " + clips);
        long t0 = System.nanoTime();
        DetectorTrainer.train(this);
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%n| artifact | bytes | parameters | MACs | peak arena | trained in |%n|---|---|---|---|---|---|%n");
        for (Path p : new Path[] {floatOut, out}) {
            var r = dev.winnow.runtime.Model.load(p).report();
            o.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d B | %.0f s |%n", p, r.artifactBytes(), r.parameters(), r.macs(), r.arenaBytes(),
                    (System.nanoTime() - t0) / 1e9);
        }
        o.println("held-out videos: winnow detector evaluate --model " + out);
        return 0;
    }
}
