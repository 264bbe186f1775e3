package ser.nn;

import ser.autograd.Activations;
import ser.autograd.MaxPool2dOp;
import ser.autograd.Shapes;
import ser.autograd.Variable;

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
        return lambda(x -> MaxPool2dOp.apply(x, kernel, kernel));
    }

    public static Module flatten() {
        return lambda(Shapes::flatten);
    }

    private static Module lambda(java.util.function.UnaryOperator<Variable> f) {
        return new Module() {
            @Override
            public Variable forward(Variable x) {
                return f.apply(x);
            }
        };
    }
}
