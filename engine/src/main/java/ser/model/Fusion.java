package ser.model;

import ser.autograd.Variable;
import ser.nn.Module;

import java.util.List;

/** Joins the vectors of a model's branches, {@code [n, d_i]} each, into one {@code [n, d]} for the head. */
abstract class Fusion extends Module {

    /** @param parts the branches' outputs in the order of the model file */
    abstract Variable fuse(List<Variable> parts);

    @Override
    public final Variable forward(Variable x) {
        throw new UnsupportedOperationException("a fusion takes every branch's output: call fuse");
    }
}
