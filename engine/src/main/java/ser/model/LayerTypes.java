package ser.model;

import ser.autograd.Activations;
import ser.autograd.MaxPool2dOp;
import ser.autograd.Shapes;
import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;
import ser.nn.BatchNorm1d;
import ser.nn.BatchNorm2d;
import ser.nn.Conv2d;
import ser.nn.Linear;
import ser.nn.Module;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The layer vocabulary of model YAML files. Shapes are per example (no batch axis): images {@code [c, h, w]},
 * frame sequences {@code [t, d]}, vectors {@code [d]}, stacks of encoder layers {@code [layers, t, d]} or
 * {@code [layers, d]}. A frames axis whose length varies per utterance is {@code -1} (written {@code t} below); only
 * layers that work frame by frame and the pooling layers accept one.
 *
 * <table>
 *   <tr><td>{@code conv2d: {out, kernel: 3, stride: 1, padding: 0}}</td><td>{@code [c,h,w] → [out,h',w']}</td></tr>
 *   <tr><td>{@code conv_block: {out, kernel: 3, pool: 2}}</td><td>conv ("same" padding) → batch norm → ReLU → max
 *       pool: {@code [c,h,w] → [out,h/pool,w/pool]}</td></tr>
 *   <tr><td>{@code batch_norm}</td><td>over channels of {@code [c,h,w]} or features of {@code [d]}</td></tr>
 *   <tr><td>{@code relu}, {@code gelu}, {@code tanh}</td><td>element-wise</td></tr>
 *   <tr><td>{@code max_pool: {kernel, stride: kernel}}</td><td>{@code [c,h,w] → [c,h',w']}</td></tr>
 *   <tr><td>{@code dropout: p}</td><td>training only</td></tr>
 *   <tr><td>{@code flatten}</td><td>anything → {@code [d]}</td></tr>
 *   <tr><td>{@code linear: {out}}</td><td>last axis {@code → out}; {@code out: classes} for the label-set size</td></tr>
 *   <tr><td>{@code to_sequence}</td><td>{@code [c,f,t] → [t, c·f]}: a feature map as a sequence of frames</td></tr>
 *   <tr><td>{@code mean_pool}</td><td>{@code [t,d] → [d]}, over the real frames of each example</td></tr>
 *   <tr><td>{@code attentive_stats_pool: {hidden: 128}}</td><td>{@code [t,d] → [2d]}, likewise</td></tr>
 *   <tr><td>{@code layer_weighted_sum}</td><td>{@code [layers,…] → […]}: a learned softmax mixture of encoder
 *       layers</td></tr>
 * </table>
 * Other code may {@link #register} more kinds; a model file can use them as soon as they are registered.
 */
public final class LayerTypes {

    private static final Map<String, LayerType> TYPES = new TreeMap<>();

    static {
        register("conv2d", LayerTypes::conv2d);
        register("conv_block", LayerTypes::convBlock);
        register("batch_norm", LayerTypes::batchNorm);
        register("relu", elementWise(Stateless.RELU, Activations::relu));
        register("gelu", elementWise("gelu", Activations::gelu));
        register("tanh", elementWise("tanh", Activations::tanh));
        register("max_pool", LayerTypes::maxPool);
        register("dropout", LayerTypes::dropout);
        register("flatten", (spec, in, ctx) -> {
            fixed(in);
            return new LayerType.Built(new Stateless("flatten", (ops, x) -> Shapes.flatten(x)), new int[] {size(in)});
        });
        register("linear", LayerTypes::linear);
        register("to_sequence", LayerTypes::toSequence);
        register("mean_pool", LayerTypes::meanPool);
        register("attentive_stats_pool", LayerTypes::attentiveStatsPool);
        register("layer_weighted_sum", LayerTypes::layerWeightedSum);
    }

    private LayerTypes() {}

    public static synchronized void register(String name, LayerType type) {
        TYPES.put(name, type);
    }

    static synchronized LayerType get(String name) {
        return TYPES.get(name);
    }

    static synchronized String known() {
        return String.join(", ", TYPES.keySet());
    }

    private static LayerType.Built conv2d(LayerSpec spec, int[] in, LayerType.Context ctx) {
        rank(in, 3, "[channels, height, width]");
        fixed(in);
        int out = spec.integer("out", true, null), kernel = spec.integer("kernel", false, 3);
        int stride = spec.integer("stride", false, 1), padding = spec.integer("padding", false, 0);
        positive(out, "out");
        positive(kernel, "kernel");
        positive(stride, "stride");
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        int h = (in[1] + 2 * padding - kernel) / stride + 1, w = (in[2] + 2 * padding - kernel) / stride + 1;
        if (h < 1 || w < 1) throw new IllegalArgumentException("a " + kernel + "x" + kernel + " kernel does not fit " + Arrays.toString(in));
        parameters((long) in[0] * out * kernel * kernel);
        return new LayerType.Built(new Conv2d(in[0], out, kernel, stride, padding, ctx.init()), new int[] {out, h, w});
    }

    private static LayerType.Built convBlock(LayerSpec spec, int[] in, LayerType.Context ctx) {
        rank(in, 3, "[channels, height, width]");
        fixed(in);
        int out = spec.integer("out", true, null), kernel = spec.integer("kernel", false, 3), pool = spec.integer("pool", false, 2);
        positive(out, "out");
        positive(pool, "pool");
        if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd for same padding, got " + kernel);
        if (in[1] < pool || in[2] < pool) {
            throw new IllegalArgumentException("a " + pool + "x" + pool + " pool does not fit " + Arrays.toString(in));
        }
        parameters((long) in[0] * out * kernel * kernel);
        return new LayerType.Built(new ConvBlock(in[0], out, kernel, pool, ctx.init()), new int[] {out, in[1] / pool, in[2] / pool});
    }

    private static LayerType.Built batchNorm(LayerSpec spec, int[] in, LayerType.Context ctx) {
        fixed(in);
        if (in.length == 3) return new LayerType.Built(new BatchNorm2d(in[0]), in);
        if (in.length == 1) return new LayerType.Built(new BatchNorm1d(in[0]), in);
        throw new IllegalArgumentException("normalises [channels, height, width] or [features], got " + Arrays.toString(in));
    }

    private static LayerType.Built maxPool(LayerSpec spec, int[] in, LayerType.Context ctx) {
        rank(in, 3, "[channels, height, width]");
        fixed(in);
        int kernel = spec.integer("kernel", true, null), stride = spec.integer("stride", false, kernel);
        positive(kernel, "kernel");
        positive(stride, "stride");
        if (in[1] < kernel || in[2] < kernel) {
            throw new IllegalArgumentException("a " + kernel + "x" + kernel + " window does not fit " + Arrays.toString(in));
        }
        int[] out = {in[0], (in[1] - kernel) / stride + 1, (in[2] - kernel) / stride + 1};
        String kind = kernel == 2 && stride == 2 ? Stateless.MAX_POOL_2X2 : "max_pool";
        return new LayerType.Built(new Stateless(kind, (ops, x) -> MaxPool2dOp.apply(ops, x, kernel, stride)), out);
    }

    private static LayerType.Built dropout(LayerSpec spec, int[] in, LayerType.Context ctx) {
        return new LayerType.Built(new StepDropout((float) spec.number("p", true, 0.5)), in);
    }

    private static LayerType.Built linear(LayerSpec spec, int[] in, LayerType.Context ctx) {
        int out = spec.width("out", ctx.classes());
        int[] shape = in.clone();
        shape[shape.length - 1] = out;
        parameters((long) in[in.length - 1] * out);
        return new LayerType.Built(new Linear(in[in.length - 1], out, ctx.init()), shape);
    }

    private static LayerType.Built toSequence(LayerSpec spec, int[] in, LayerType.Context ctx) {
        rank(in, 3, "[channels, mel bands, frames]");
        fixed(in);
        return new LayerType.Built(new Stateless("to_sequence", FrameSequence::apply), new int[] {in[2], in[0] * in[1]});
    }

    private static LayerType.Built meanPool(LayerSpec spec, int[] in, LayerType.Context ctx) {
        rank(in, 2, "[frames, features] (put to_sequence before it)");
        return new LayerType.Built(new MeanPooling(), new int[] {in[1]});
    }

    private static LayerType.Built attentiveStatsPool(LayerSpec spec, int[] in, LayerType.Context ctx) {
        rank(in, 2, "[frames, features] (put to_sequence before it)");
        int hidden = spec.integer("hidden", true, 128);
        positive(hidden, "hidden");
        parameters((long) in[1] * hidden);
        return new LayerType.Built(new AttentiveStatsPooling(in[1], hidden, ctx.init()), new int[] {2 * in[1]});
    }

    private static LayerType.Built layerWeightedSum(LayerSpec spec, int[] in, LayerType.Context ctx) {
        if (in.length < 2 || in[0] < 1) {
            throw new IllegalArgumentException("wants a stack of encoder layers [layers, ...], got " + Arrays.toString(in));
        }
        return new LayerType.Built(new LayerWeighting(in[0]), Arrays.copyOfRange(in, 1, in.length));
    }

    private static LayerType elementWise(String kind, BiFunction<TrainingOps, Variable, Variable> f) {
        return (spec, in, ctx) -> new LayerType.Built(new Stateless(kind, f), in);
    }

    private static void rank(int[] in, int rank, String expected) {
        if (in.length != rank) throw new IllegalArgumentException("wants " + expected + " input, got " + Arrays.toString(in));
    }

    /** Refuses a shape with a frames axis that varies per utterance, which only pooling can take away. */
    private static void fixed(int[] in) {
        if (InputBatch.framesAxis(in) >= 0) {
            throw new IllegalArgumentException("needs a fixed-size input, but the frames axis of " + Arrays.toString(in)
                    + " varies per utterance (pool over frames first: mean_pool or attentive_stats_pool)");
        }
    }

    /** Weights of one layer: 2^28 floats is 1 GiB, and its gradient and optimiser state as much again each. */
    public static final long MAX_LAYER_PARAMETERS = 1L << 28;
    /** Elements of one example's output of a layer: 2^26 floats (256 MiB), to be multiplied by the batch. */
    public static final long MAX_OUTPUT_ELEMENTS = 1L << 26;

    private static void parameters(long count) {
        if (count > MAX_LAYER_PARAMETERS) {
            throw new IllegalArgumentException("would have " + count + " weights, more than the " + MAX_LAYER_PARAMETERS
                    + " a layer may have");
        }
    }

    /** Refuses an output shape too large for one example (a padding or a width that is a typo). */
    static void checkOutput(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= Math.max(d, 1); // a varying frames axis (-1) counts as one frame
            if (n > MAX_OUTPUT_ELEMENTS) {
                throw new IllegalArgumentException("output " + Arrays.toString(shape) + " has more than the "
                        + MAX_OUTPUT_ELEMENTS + " elements an example's output may have");
            }
        }
    }

    private static void positive(int v, String key) {
        if (v < 1) throw new IllegalArgumentException(key + " must be >= 1, got " + v);
    }

    private static int size(int[] shape) {
        return Math.toIntExact(ser.tensor.Tensor.count(shape));
    }
}
