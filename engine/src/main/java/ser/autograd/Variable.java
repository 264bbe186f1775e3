package ser.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * A tensor in a computation that can be differentiated: its value, its gradient once {@link #backward} has run,
 * and (for op results) the node that made it.
 *
 * <p>Values and gradients are dense tensors of one {@link TrainingOps} backend, contiguous from element 0: on the
 * CPU heap arrays (a host view passed in is copied once), on a device its memory. An op result knows the backend
 * that made it, and accumulates its inputs' gradients there; a leaf is on the host until {@link #moveTo} puts it
 * on a backend. Leaves are {@link #parameter}s, which collect gradients, or {@link #constant}s, which do not. An op
 * result records its inputs and backward function only while {@link GradMode} is enabled and some input needs a
 * gradient.
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

    private Tensor data;
    private TrainingOps ops;
    private final boolean requiresGrad;
    private Node node;
    private Tensor grad;
    /** Whether {@link #grad} is this variable's own array, safe to add into (an op may hand out shared arrays). */
    private boolean gradOwned;

    private Variable(TrainingOps ops, Tensor data, boolean requiresGrad, Node node) {
        this.ops = ops;
        this.data = dense(data);
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    /** A leaf whose gradient is collected: a trainable weight. */
    public static Variable parameter(Tensor data) {
        return new Variable(null, data, true, null);
    }

    /** A leaf that needs no gradient: an input batch, a mask. */
    public static Variable constant(Tensor data) {
        return new Variable(null, data, false, null);
    }

    /** A leaf that needs no gradient, {@code data} already on {@code ops}'s backend. */
    public static Variable constant(TrainingOps ops, Tensor data) {
        return new Variable(ops, data, false, null);
    }

    /**
     * The result {@code data} of an op on {@code inputs} (nulls allowed for absent optional inputs), differentiable
     * through {@code backward} when gradients are enabled and some input requires one.
     */
    public static Variable fromOp(TrainingOps ops, Tensor data, Backward backward, Variable... inputs) {
        boolean needed = false;
        for (Variable v : inputs) needed |= v != null && v.requiresGrad;
        if (!needed || !GradMode.isEnabled()) return new Variable(ops, data, false, null);
        return new Variable(ops, data, true, new Node(inputs.clone(), backward));
    }

    public Tensor data() { return data; }

    /** The backend this value lives on: the op's that made it, or the one it was moved to (a leaf: the CPU). */
    public TrainingOps ops() { return ops == null ? HostTrainingOps.SIMD : ops; }

    /**
     * Puts this leaf (a parameter) on {@code ops}'s backend, its value copied there, once, before training: as
     * PyTorch's {@code module.to(device)}. Its gradient, if any, is dropped.
     */
    public void moveTo(TrainingOps ops) {
        if (node != null) throw new IllegalStateException("only a leaf moves between backends, not an op's result");
        this.data = ops.copyOf(ops().download(data));
        this.ops = ops;
        zeroGrad();
    }

    /** This value where host code can read it: {@link #data()} itself on the CPU, else a downloaded copy. */
    public Tensor hostData() { return data.isHost() ? data : ops().download(data); }

    /** The backing array of {@link #data()}, which must be on the host: dense, row-major, from index 0. */
    public float[] array() {
        float[] a = data.heapArray();
        if (a == null) throw new IllegalStateException(this + " is not in host memory");
        return a;
    }

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
        return new Variable(ops, data, false, null);
    }

    /** Multiplies the accumulated gradient by {@code factor} (gradient clipping). */
    public void scaleGrad(float factor) {
        if (grad == null) return;
        Tensor g = ownGrad();
        ops().scale(g, factor, g);
    }

    /** Back-propagates from this scalar (a loss): its gradient is 1. */
    public void backward() {
        if (data.size() != 1) {
            throw new IllegalStateException("backward() without a gradient needs a scalar, not " + data);
        }
        backward(ops().upload(Tensor.wrap(new float[] {1f}, data.shape())));
    }

    /** Back-propagates {@code gradient} (same shape as this value) through the graph that made this variable. */
    public void backward(Tensor gradient) {
        if (!java.util.Arrays.equals(gradient.shape(), data.shape())) {
            throw new IllegalArgumentException("gradient " + gradient + " for value " + data);
        }
        if (!requiresGrad) throw new IllegalStateException("backward() through a value that needs no gradient");
        accumulate(ops().copyOf(gradient));
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
        Tensor into = ownGrad();
        ops().add(into, g, into);
    }

    private Tensor ownGrad() {
        if (!gradOwned) {
            grad = ops().copyOf(grad);
            gradOwned = true;
        }
        return grad;
    }

    /**
     * {@code t} itself when it is dense from index 0 (on the heap, its array exactly its size; on a device, as the
     * backend allocated it), else a dense host copy.
     */
    static Tensor dense(Tensor t) {
        if (!t.isHost()) {
            if (!t.isContiguous() || t.offset() != 0) throw new IllegalArgumentException("a device view " + t + " as a value");
            return t;
        }
        float[] a = t.heapArray();
        boolean ok = a != null && t.isContiguous() && t.offset() == 0 && a.length == t.size();
        return ok ? t : t.copy();
    }

    @Override
    public String toString() {
        return "Variable" + java.util.Arrays.toString(data.shape()) + (requiresGrad ? " (grad)" : "");
    }
}
