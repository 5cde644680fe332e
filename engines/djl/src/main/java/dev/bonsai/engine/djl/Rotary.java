package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Rotary position embeddings in the half-split convention (Hugging Face's {@code rotate_half}): within a head of
 * width {@code hd}, dimension {@code i < hd/2} pairs with {@code i + hd/2} and both turn by the angle
 * {@code position · θ^(−2i/hd)}, so {@code rope(x) = x·cos + swap(x)·sin±} where {@code swap} exchanges the two
 * halves and {@code sin±} is {@code −sin} on the first half and {@code +sin} on the second.
 *
 * <p>The tables {@code cos} and {@code sin±}, {@code [positions, 1, hd]}, are computed once in double precision (as
 * the PyTorch reference does) and held on the device for the network's lifetime; a call rotates
 * {@code [B, k, heads, hd]} at positions {@code offset … offset + k − 1} with four native operators and two views.
 */
final class Rotary {
    private final PtNDArray cos;
    private final PtNDArray sin;
    private final int positions;
    private final int half;

    /**
     * The tables for positions {@code 0 … positions − 1}.
     *
     * @param manager holds the tables
     * @param theta   the rotary base θ, positive
     */
    Rotary(PtNDManager manager, Device device, int positions, int headDim, double theta) {
        this.positions = positions;
        this.half = headDim / 2;
        float[] c = new float[positions * headDim];
        float[] s = new float[positions * headDim];
        for (int t = 0; t < positions; t++) {
            for (int i = 0; i < half; i++) {
                double angle = t * Math.pow(theta, -2.0 * i / headDim);
                c[t * headDim + i] = (float) Math.cos(angle);
                c[t * headDim + half + i] = (float) Math.cos(angle);
                s[t * headDim + i] = (float) -Math.sin(angle);
                s[t * headDim + half + i] = (float) Math.sin(angle);
            }
        }
        long[] shape = {positions, 1, headDim};
        this.cos = Nd.upload(manager, c, shape, device);
        this.sin = Nd.upload(manager, s, shape, device);
    }

    /** {@code x [B, k, heads, hd]} rotated to positions {@code offset … offset + k − 1}; temporaries go to {@code f}. */
    PtNDArray apply(Forward f, PtNDArray x, int offset) {
        long k = x.getShape().get(1);
        if (offset + k > positions) {
            throw new IllegalArgumentException("rotary positions " + offset + ".." + (offset + k - 1)
                    + " go past the table of " + positions);
        }
        PtNDArray c = cos;
        PtNDArray s = sin;
        if (offset != 0 || k != positions) {
            c = f.keep(JniUtils.slice(cos, 0, offset, offset + k, 1));
            s = f.keep(JniUtils.slice(sin, 0, offset, offset + k, 1));
        }
        long hd = 2L * half;
        PtNDArray first = f.keep(JniUtils.slice(x, 3, 0, half, 1));
        PtNDArray second = f.keep(JniUtils.slice(x, 3, half, hd, 1));
        PtNDArray swapped = f.keep(JniUtils.cat(new PtNDArray[] {second, first}, 3));
        return f.keep(JniUtils.add(f.keep(JniUtils.mul(x, c)), f.keep(JniUtils.mul(swapped, s))));
    }
}
