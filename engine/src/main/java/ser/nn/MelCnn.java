package ser.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import ser.SerException;
import ser.autograd.Shapes;
import ser.autograd.Variable;

/**
 * The seed's log-Mel CNN: three blocks of (3×3 conv, padding 1 → batch norm → ReLU → 2×2 max pool) with 32, 64
 * and 128 channels, then flatten, dropout 0.2 and a linear layer to the classes. Input {@code [n, 1, 128, 151]}
 * (128 Mel bands × 151 frames); the pools leave {@code 128 × 16 × 18} features. Parameter names match the seed's
 * PyTorch {@code MelCNN} state dict.
 *
 * <p>Each block runs as one fused op ({@link ser.autograd.ConvBlockOp}), which keeps the full-size maps between
 * its layers out of memory; its values and gradients are those of the layers one after another.
 */
public final class MelCnn extends Module {

    public static final int MELS = 128, FRAMES = 151;
    private static final int[] CHANNELS = {32, 64, 128};

    private final Conv2d[] convs = new Conv2d[3];
    private final BatchNorm2d[] norms = new BatchNorm2d[3];
    private final Dropout dropout;
    private final Linear fc;

    public MelCnn(int classes, RandomGenerator random) {
        this(classes, 0.2f, random);
    }

    /** With another dropout probability (0 makes training deterministic, as in the PyTorch parity test). */
    public MelCnn(int classes, float dropoutProbability, RandomGenerator random) {
        int in = 1;
        for (int b = 0; b < 3; b++) {
            convs[b] = addModule("conv" + (b + 1), new Conv2d(in, CHANNELS[b], 3, 1, 1, random));
            norms[b] = addModule("bn" + (b + 1), new BatchNorm2d(CHANNELS[b]));
            in = CHANNELS[b];
        }
        dropout = addModule("dropout", new Dropout(dropoutProbability, random));
        fc = addModule("fc", new Linear(CHANNELS[2] * (MELS / 8) * (FRAMES / 8), classes, random));
    }

    @Override
    public Variable forward(Variable x) {
        int[] shape = x.shape();
        if (shape.length != 4 || shape[1] != 1 || shape[2] != MELS || shape[3] != FRAMES) {
            throw new SerException("the Mel CNN takes log-Mel batches of [n, 1, " + MELS + ", " + FRAMES + "] ("
                    + MELS + " Mel bands, " + FRAMES + " frames), got " + Arrays.toString(shape));
        }
        for (int b = 0; b < 3; b++) x = convs[b].forwardBlock(norms[b], x);
        return fc.forward(dropout.forward(Shapes.flatten(x)));
    }
}
