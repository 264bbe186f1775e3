package ser.model;

import ser.autograd.Shapes;
import ser.autograd.Variable;

import java.util.List;

/** {@code fusion: concat}: the branches' vectors side by side, {@code [n, Σ d_i]}. No parameters. */
final class ConcatFusion extends Fusion {

    @Override
    Variable fuse(List<Variable> parts) {
        return Shapes.concat(ops(), 1, parts.toArray(Variable[]::new));
    }
}
