package ser.cuda;

import ser.tensor.Tensor;

/**
 * From the engine's weight layouts ({@link ser.hubert.WeightNames}) to the layouts our kernels read. cuBLAS reads
 * the engine's [in, out] matrices as they are; only the two convs that run as our own kernels need reordering.
 */
public final class WeightLayouts {

    private WeightLayouts() {}

    /** The first conv, [kernel, channels] (one input channel) as conv1d_first's [channels, kernel]. */
    public static float[] firstConv(Tensor weight) {
        int kernel = weight.dim(0), channels = weight.dim(1);
        float[] out = new float[kernel * channels];
        for (int k = 0; k < kernel; k++) for (int c = 0; c < channels; c++) out[c * kernel + k] = weight.get(k, c);
        return out;
    }

    /**
     * The positional conv, [groups, kernel·width, width] (one [in, out] block per group, rows ordered (tap, in
     * channel)), as pos_conv_gelu's [dim, width, kernel], torch's own layout.
     */
    public static float[] positionalConv(Tensor weight) {
        int groups = weight.dim(0), width = weight.dim(2), kernel = weight.dim(1) / width, dim = groups * width;
        float[] src = weight.contiguous().toArray(), out = new float[dim * width * kernel];
        for (int g = 0; g < groups; g++)
            for (int k = 0; k < kernel; k++)
                for (int c = 0; c < width; c++)
                    for (int o = 0; o < width; o++) {
                        float v = src[(g * kernel * width + k * width + c) * width + o];
                        out[((g * width + o) * width + c) * kernel + k] = v;
                    }
        return out;
    }
}
