package dev.winnow.flink.frames;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.runtime.format.InputSpec;
import dev.winnow.runtime.image.FrameResize;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns a frame into the model's input tensor as the artifact's input spec says: decode (GRAY8,
 * RGB24 or JPEG), convert to gray when the model takes one channel, resize bilinearly (half-pixel
 * centres, as OpenCV's INTER_LINEAR; {@link FrameResize}, which the trainers use too) to the spec's H x W, then v · scale, minus mean, over std
 * ({@code preprocess.scale}, {@code .mean}, {@code .std}, per channel or one value). With
 * {@code preprocess.fit = "letterbox"} the frame is scaled to fit with its aspect kept and centred,
 * the bands black (the CenterNet teacher is fed so); the default, {@code "stretch"}, fills the input.
 * Raw frames are
 * converted without allocating; JPEG decoding goes through ImageIO, into an image reused while frames keep
 * their size (ImageIO's decoder still allocates its own small buffers per frame).
 *
 * <p>Pixel budget: a frame whose size (for JPEG, the size its frame header claims, read before any
 * pixel is decoded) exceeds {@link #maxPixels()} is refused with an {@link OversizedFrameException}
 * before anything of that size is allocated. Without it a greyscale JPEG whose header says
 * 30000x30000 overflowed {@code w*h*3} (NegativeArraySizeException, the job restarting forever) and
 * one saying 12000x12000 exhausted a 1 GB heap.
 *
 * <p>Not thread safe: one per subtask (it keeps its buffers in fields).
 */
public final class FramePreprocessor implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default pixel budget: 3840x2160 (4K UHD), about 100 MB of working buffers at three channels. */
    public static final long DEFAULT_MAX_PIXELS = 3840L * 2160;

    private final int outH, outW, outC;
    private final float scale;
    private final float[] mean, invStd;
    private final long maxPixels;
    /** {@code preprocess.fit = "letterbox"}: scaled to fit with the aspect kept, centred, the rest black. */
    private final boolean letterbox;
    /** How the last frame was placed: input x = frame x / scaleX + offX (and likewise y). */
    private transient float lastScaleX = 1, lastScaleY = 1;
    private transient int lastOffX, lastOffY;
    private transient float[] plane;
    private transient byte[] rgb;
    private transient int[] row;
    private transient ImageReader jpeg;
    private transient BufferedImage decoded;

    public FramePreprocessor(InputSpec spec) {
        this(spec, DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the largest width x height accepted; larger frames throw {@link OversizedFrameException} */
    public FramePreprocessor(InputSpec spec, long maxPixels) {
        if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE / 12) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + Integer.MAX_VALUE / 12 + ", got " + maxPixels);
        }
        this.maxPixels = maxPixels;
        int[] s = spec.shape();
        if (s.length != 3 || (s[2] != 1 && s[2] != 3) || !spec.layout().equals("HWC")) {
            throw new IllegalArgumentException("frame models take an HWC input with 1 or 3 channels, this one takes " + spec);
        }
        this.outH = s[0];
        this.outW = s[1];
        this.outC = s[2];
        Map<String, Object> p = spec.preprocess();
        this.scale = p.get("scale") instanceof Number ? ((Number) p.get("scale")).floatValue() : 1f / 255;
        this.mean = perChannel(p.get("mean"), 0f);
        float[] std = perChannel(p.get("std"), 1f);
        this.invStd = new float[outC];
        for (int c = 0; c < outC; c++) invStd[c] = 1f / std[c];
        Object fit = p.get("fit");
        if (fit != null && !fit.equals("stretch") && !fit.equals("letterbox")) {
            throw new IllegalArgumentException("preprocess.fit must be 'stretch' or 'letterbox', is " + fit);
        }
        this.letterbox = "letterbox".equals(fit);
    }

    /** A point of the model's input in the last frame's pixels (boxes back onto the frame). */
    public float frameX(float inputX) {
        return (inputX - lastOffX) * lastScaleX;
    }

    public float frameY(float inputY) {
        return (inputY - lastOffY) * lastScaleY;
    }

    /** Frame pixels per input pixel of the last frame, across and down. */
    public float scaleX() {
        return lastScaleX;
    }

    public float scaleY() {
        return lastScaleY;
    }

    private float[] perChannel(Object o, float dflt) {
        float[] a = new float[outC];
        java.util.Arrays.fill(a, dflt);
        if (o instanceof Number) java.util.Arrays.fill(a, ((Number) o).floatValue());
        else if (o instanceof List && ((List<?>) o).size() == outC) for (int c = 0; c < outC; c++) a[c] = ((Number) ((List<?>) o).get(c)).floatValue();
        return a;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public int inputSize() {
        return outH * outW * outC;
    }

    /**
     * Whether {@link #apply} maps each pixel of {@code f} on its own, by its grey level alone: a GRAY8
     * frame of exactly the input's size, for a one-channel input (no resampling, no band). Such a frame's
     * input can be written through a 256-entry table ({@link #greyLevels}).
     */
    public boolean unscaledGrey(Frame f) {
        return f.encoding == FrameEncoding.GRAY8 && f.width == outW && f.height == outH && outC == 1
                && f.data != null && f.data.length == outW * outH;
    }

    /**
     * What {@link #apply} writes for each grey level 0..255 of an {@link #unscaledGrey} frame, taken from
     * {@link #apply} itself on a frame of all 256 levels, so a table made from it gives the same bits; null
     * when the input is not one channel or has fewer than 256 pixels.
     */
    public float[] greyLevels() {
        if (outC != 1 || outW * outH < 256) return null;
        byte[] levels = new byte[outW * outH];
        for (int i = 0; i < levels.length; i++) levels[i] = (byte) i;
        float[] input = new float[inputSize()];
        try {
            apply(new Frame("levels", 0, 0, FrameEncoding.GRAY8, outW, outH, levels), input, 0);
        } catch (MalformedFrameException e) {
            throw new IllegalStateException("a frame of the input's own size was refused", e);
        }
        return java.util.Arrays.copyOf(input, 256);
    }

    /** Writes the model input for {@code f} into {@code out} at {@code off}. */
    public void apply(Frame f, float[] out, int off) throws MalformedFrameException {
        if (f.encoding == null || f.data == null) throw new MalformedFrameException("frame without encoding or data");
        switch (f.encoding) {
            case GRAY8:
                checkBudget(f, f.width, f.height);
                checkSize(f, 1);
                resample(f.data, f.width, f.height, 1, false, out, off);
                break;
            case RGB24:
                checkBudget(f, f.width, f.height);
                checkSize(f, 3);
                resample(f.data, f.width, f.height, 3, false, out, off);
                break;
            default:
                decodeJpeg(f, out, off);
        }
    }

    /**
     * Reads the JPEG's frame header, checks the claimed size against the budget, then decodes into an
     * image kept from the last frame of the same size and type. The reader is kept too: looking one up
     * per frame walks ImageIO's registry, and {@code ImageIO.createImageInputStream} buffers through a
     * temporary file when ImageIO's cache is on (its default), so the stream is an in-memory one.
     */
    private void decodeJpeg(Frame f, float[] out, int off) throws MalformedFrameException {
        BufferedImage img;
        ImageReader reader = jpegReader();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(f.data))) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0), h = reader.getHeight(0);   // the frame header only
            checkBudget(f, w, h);
            img = reader.read(0, readParam(reader, w, h));
            reader.setInput(null);
        } catch (IOException | RuntimeException e) {
            // A reader that failed mid-stream is not trusted with the next frame.
            reader.dispose();
            jpeg = null;
            decoded = null;
            throw new MalformedFrameException("JPEG of " + f.cameraId + "#" + f.seq + " does not decode: " + e.getMessage());
        }
        if (img == null) throw new MalformedFrameException("JPEG of " + f.cameraId + "#" + f.seq + " is not an image");
        int w = img.getWidth(), h = img.getHeight();
        checkBudget(f, w, h);
        byte[] pixels = img.getRaster().getDataBuffer() instanceof DataBufferByte
                ? ((DataBufferByte) img.getRaster().getDataBuffer()).getData() : null;
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && pixels != null && pixels.length == w * h) {
            resample(pixels, w, h, 1, false, out, off);
        } else if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && pixels != null && pixels.length == 3 * w * h) {
            resample(pixels, w, h, 3, true, out, off);   // the raster's own bytes: what getRGB returns for sRGB
        } else {
            if (rgb == null || rgb.length < w * h * 3) rgb = new byte[w * h * 3];
            if (row == null || row.length < w) row = new int[w];
            RgbPixels.toRgb24(img, rgb, row);
            resample(rgb, w, h, 3, false, out, off);
        }
    }

    private ImageReader jpegReader() {
        if (jpeg == null) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!readers.hasNext()) throw new IllegalStateException("no ImageIO JPEG reader");
            jpeg = readers.next();
        }
        return jpeg;
    }

    /** Decodes into the last frame's image when this frame has its size and standard type, else into a new one. */
    private ImageReadParam readParam(ImageReader reader, int w, int h) throws IOException {
        ImageTypeSpecifier type = reader.getImageTypes(0).next();
        int t = type.getBufferedImageType();
        boolean standard = t == BufferedImage.TYPE_3BYTE_BGR || t == BufferedImage.TYPE_BYTE_GRAY;
        if (!standard) {
            decoded = null;
            return reader.getDefaultReadParam();
        }
        if (decoded == null || decoded.getWidth() != w || decoded.getHeight() != h || decoded.getType() != t) {
            decoded = type.createBufferedImage(w, h);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        param.setDestination(decoded);
        return param;
    }

    private void checkBudget(Frame f, long w, long h) throws OversizedFrameException {
        if (w < 1 || h < 1 || w * h > maxPixels) {
            throw new OversizedFrameException("frame " + f.cameraId + "#" + f.seq + " (" + f.encoding + ") claims " + w + "x" + h
                    + " = " + w * h + " pixels, over the budget of " + maxPixels);
        }
    }

    private static void checkSize(Frame f, int channels) throws MalformedFrameException {
        long need = (long) f.width * f.height * channels;
        if (f.width < 1 || f.height < 1 || f.data.length != need) {
            throw new MalformedFrameException("frame " + f.cameraId + "#" + f.seq + " is " + f.width + "x" + f.height + " " + f.encoding
                    + " but carries " + f.data.length + " bytes (expected " + need + ")");
        }
    }

    /** Gray (or RGB) plane of the source (BGR-ordered when {@code bgr}), bilinearly resampled into the output, normalised. */
    private void resample(byte[] src, int w, int h, int srcC, boolean bgr, float[] out, int off) {
        if (plane == null || plane.length < w * h * outC) plane = new float[w * h * outC];
        if (bgr) FrameResize.bgrToPlane(src, w * h, outC, plane);
        else FrameResize.toPlane(src, w, h, srcC, outC, plane);
        int fitW = outW, fitH = outH, offX = 0, offY = 0;
        if (letterbox) {
            double s = Math.min((double) outW / w, (double) outH / h);
            fitW = Math.max(1, Math.min(outW, (int) Math.round(w * s)));
            fitH = Math.max(1, Math.min(outH, (int) Math.round(h * s)));
            offX = (outW - fitW) / 2;
            offY = (outH - fitH) / 2;
            for (int c = 0; c < outC; c++) {
                float black = (0f - mean[c]) * invStd[c];
                for (int i = c; i < outH * outW * outC; i += outC) out[off + i] = black;
            }
        }
        lastScaleX = (float) w / fitW;
        lastScaleY = (float) h / fitH;
        lastOffX = offX;
        lastOffY = offY;
        FrameResize.resize(plane, w, h, outC, out, off, outW, fitW, fitH, offX, offY, scale, mean, invStd);
    }
}
