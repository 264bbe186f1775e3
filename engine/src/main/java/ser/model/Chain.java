package ser.model;

import ser.autograd.Variable;
import ser.nn.Module;
import ser.tensor.Tensor;

import java.util.List;

/**
 * Layers applied in order, each registered under its state-dict name. The frame mask of a variable-length input
 * goes to the first {@link FramePooling} layer; after it there are no frames left to mask.
 */
final class Chain extends Module {

    private final List<Module> layers;

    Chain(List<String> names, List<Module> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) addModule(names.get(i), layers.get(i));
    }

    List<Module> layers() {
        return layers;
    }

    Variable forward(Variable x, Tensor mask) {
        for (Module layer : layers) {
            if (layer instanceof FramePooling pooling) {
                x = pooling.pool(x, mask);
                mask = null;
            } else {
                x = layer.forward(x);
            }
        }
        return x;
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, null);
    }
}
