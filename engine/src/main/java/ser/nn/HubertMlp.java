package ser.nn;

import java.util.random.RandomGenerator;
import ser.autograd.Variable;

/**
 * The seed's head on pooled HuBERT features: {@code net = Sequential(Linear(768→256), ReLU, Dropout(0.2),
 * Linear(256→classes))}, so its parameters are {@code net.0.*} and {@code net.3.*}. Input {@code [n, 768]}.
 */
public final class HubertMlp extends Module {

    public static final int FEATURES = 768, HIDDEN = 256;

    private final Sequential net;

    public HubertMlp(int classes, RandomGenerator random) {
        net = addModule("net", new Sequential(
                new Linear(FEATURES, HIDDEN, random),
                Layers.relu(),
                new Dropout(0.2f, random),
                new Linear(HIDDEN, classes, random)));
    }

    @Override
    public Variable forward(Variable x) {
        return net.forward(x);
    }
}
