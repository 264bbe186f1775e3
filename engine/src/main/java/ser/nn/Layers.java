package ser.nn;

import java.util.function.BiFunction;
import ser.autograd.Activations;
import ser.autograd.MaxPool2dOp;
import ser.autograd.Shapes;
import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;

/** The parameter-free layers, as modules for {@link Sequential}. */
public final class Layers {

    private Layers() {}

    public static Module relu() {
        return lambda(Activations::relu);
    }

    public static Module gelu() {
        return lambda(Activations::gelu);
    }

    public static Module maxPool2d(int kernel) {
        return lambda((ops, x) -> MaxPool2dOp.apply(ops, x, kernel, kernel));
    }

    public static Module flatten() {
        return lambda((ops, x) -> Shapes.flatten(x));
    }

    /** A module whose forward is {@code f} of its backend and its input. */
    private static Module lambda(BiFunction<TrainingOps, Variable, Variable> f) {
        return new Module() {
            @Override
            public Variable forward(Variable x) {
                return f.apply(ops(), x);
            }
        };
    }
}
