package ser.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import ser.tensor.Tensor;

/**
 * A tensor in a computation that can be differentiated: its value, its gradient once {@link #backward} has run,
 * and (for op results) the node that made it.
 *
 * <p>Values and gradients are dense heap tensors (a contiguous {@code float[]} from element 0), so the kernels
 * can work on the arrays directly; a view passed in is copied once. Leaves are {@link #parameter}s, which collect
 * gradients, or {@link #constant}s, which do not. An op result records its inputs and backward function only
 * while {@link GradMode} is enabled and some input needs a gradient.
 *
 * <p>{@link #backward} walks the graph once, in reverse topological order, and consumes it: each node's saved
 * tensors and each intermediate gradient are dropped as soon as they have been used, as in PyTorch, so a
 * training step's activations become garbage during the backward pass rather than after it.
 */
public final class Variable {

    /** The backward function of one op: upstream gradient in, one gradient per input out (null: none). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    private record Node(Variable[] inputs, Backward backward) {}

    private final Tensor data;
    private final boolean requiresGrad;
    private Node node;
    private Tensor grad;
    /** Whether {@link #grad} is this variable's own array, safe to add into (an op may hand out shared arrays). */
    private boolean gradOwned;

    private Variable(Tensor data, boolean requiresGrad, Node node) {
        this.data = dense(data);
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    /** A leaf whose gradient is collected: a trainable weight. */
    public static Variable parameter(Tensor data) {
        return new Variable(data, true, null);
    }

    /** A leaf that needs no gradient: an input batch, a mask. */
    public static Variable constant(Tensor data) {
        return new Variable(data, false, null);
    }

    /**
     * The result {@code data} of an op on {@code inputs} (nulls allowed for absent optional inputs), differentiable
     * through {@code backward} when gradients are enabled and some input requires one.
     */
    public static Variable fromOp(Tensor data, Backward backward, Variable... inputs) {
        boolean needed = false;
        for (Variable v : inputs) needed |= v != null && v.requiresGrad;
        if (!needed || !GradMode.isEnabled()) return new Variable(data, false, null);
        return new Variable(data, true, new Node(inputs.clone(), backward));
    }

    public Tensor data() { return data; }

    /** The backing array of {@link #data()}: dense, row-major, from index 0. */
    public float[] array() { return data.heapArray(); }

    public int[] shape() { return data.shape(); }

    public int dim(int axis) { return data.dim(axis); }

    public int size() { return (int) data.size(); }

    public boolean requiresGrad() { return requiresGrad; }

    /** The accumulated gradient, or null before any backward pass reached this variable. */
    public Tensor grad() { return grad; }

    public void zeroGrad() {
        grad = null;
        gradOwned = false;
    }

    /** The same value, cut off from the graph. */
    public Variable detach() {
        return new Variable(data, false, null);
    }

    /** Multiplies the accumulated gradient by {@code factor} (gradient clipping). */
    public void scaleGrad(float factor) {
        if (grad == null) return;
        float[] g = ownGrad();
        for (int i = 0; i < g.length; i++) g[i] *= factor;
    }

    /** Back-propagates from this scalar (a loss): its gradient is 1. */
    public void backward() {
        if (data.size() != 1) {
            throw new IllegalStateException("backward() without a gradient needs a scalar, not " + data);
        }
        backward(Tensor.wrap(new float[] {1f}, data.shape()));
    }

    /** Back-propagates {@code gradient} (same shape as this value) through the graph that made this variable. */
    public void backward(Tensor gradient) {
        if (!java.util.Arrays.equals(gradient.shape(), data.shape())) {
            throw new IllegalArgumentException("gradient " + gradient + " for value " + data);
        }
        if (!requiresGrad) throw new IllegalStateException("backward() through a value that needs no gradient");
        accumulate(gradient.copy());
        List<Variable> order = topologicalOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable v = order.get(i);
            Node n = v.node;
            if (n == null) continue;
            if (v.grad != null) {
                Tensor[] grads = n.backward.apply(v.grad);
                for (int k = 0; k < n.inputs.length; k++) {
                    Variable in = n.inputs[k];
                    if (in != null && in.requiresGrad && grads[k] != null) in.accumulate(grads[k]);
                }
            }
            v.node = null;
            v.zeroGrad();
        }
    }

    /** Every variable this one depends on through recorded nodes, inputs before the results that use them. */
    private List<Variable> topologicalOrder() {
        List<Variable> order = new ArrayList<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        stack.push(this);
        next.push(0);
        seen.add(this);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            int k = next.pop();
            Variable[] inputs = v.node == null ? new Variable[0] : v.node.inputs;
            while (k < inputs.length && (inputs[k] == null || !inputs[k].requiresGrad || seen.contains(inputs[k]))) k++;
            if (k < inputs.length) {
                next.push(k + 1);
                seen.add(inputs[k]);
                stack.push(inputs[k]);
                next.push(0);
            } else {
                order.add(stack.pop());
            }
        }
        return order;
    }

    private void accumulate(Tensor g) {
        if (grad == null) {
            grad = dense(g);
            gradOwned = false;
            return;
        }
        float[] into = ownGrad(), add = dense(g).heapArray();
        for (int i = 0; i < into.length; i++) into[i] += add[i];
    }

    private float[] ownGrad() {
        if (!gradOwned) {
            grad = grad.copy();
            gradOwned = true;
        }
        return grad.heapArray();
    }

    /** {@code t} itself when it is a dense heap tensor from index 0, else a dense copy. */
    static Tensor dense(Tensor t) {
        float[] a = t.heapArray();
        boolean ok = a != null && t.isContiguous() && t.offset() == 0 && a.length == t.size();
        return ok ? t : t.copy();
    }

    @Override
    public String toString() {
        return "Variable" + java.util.Arrays.toString(data.shape()) + (requiresGrad ? " (grad)" : "");
    }
}
