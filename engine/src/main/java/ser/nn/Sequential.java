package ser.nn;

import java.util.List;
import ser.autograd.Variable;

/** Layers applied in order, named {@code 0, 1, 2, …} in the state dict as in PyTorch. */
public final class Sequential extends Module {

    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) addModule(Integer.toString(i), layers[i]);
    }

    @Override
    public Variable forward(Variable x) {
        for (Module layer : layers) x = layer.forward(x);
        return x;
    }
}
