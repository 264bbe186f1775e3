package ser.hubert;

import ser.tensor.Ops;
import ser.tensor.Parallel;
import ser.tensor.Tensor;
import ser.tensor.Workspace;

/**
 * Multi-head self-attention over a padded batch. One GEMM makes q, k and v for every frame of every sequence;
 * then each (sequence, head) pair, independently and in parallel, scores its queries against the keys of the
 * sequence's valid frames only. Leaving padded keys out of the softmax is what the reference's -10000 key bias
 * amounts to in float32 (exp underflows to exactly 0); padded query rows are computed like any other.
 */
final class SelfAttention {

    private final Ops ops;
    private final Workspace workspace;
    private final Parallel parallel;
    private final int dim, heads, headDim;
    /** 1/√d, applied to the queries once they are projected, as the reference does. */
    private final float queryScale;
    private final Linear qkv, out;

    SelfAttention(HubertConfig config, WeightSource w, int layer, Ops ops, Parallel parallel, Workspace workspace) {
        this.ops = ops;
        this.workspace = workspace;
        this.parallel = parallel;
        dim = config.hidden();
        heads = config.heads();
        headDim = config.headDim();
        queryScale = (float) (1 / Math.sqrt(headDim));
        // Packed from the mapped weights: a scaled heap copy of them (7 MB a layer) would stay reachable through
        // the packed handle, whose view a backend without a packed layout multiplies by.
        qkv = Linear.load(w, WeightNames.qkv(layer), dim, 3 * dim, ops);
        out = Linear.load(w, WeightNames.attentionOut(layer), dim, dim, ops);
    }

    /**
     * {@code residual += attention(x)}.
     *
     * @param x        [B·T, D], sequence b in rows [b·T, (b+1)·T)
     * @param frames   valid frames of each sequence
     * @param residual [B·T, D]
     */
    void forwardAdding(Tensor x, int[] frames, Tensor residual) {
        int batch = frames.length, steps = x.dim(0) / batch;
        Tensor projected = workspace.take("attention.qkv", x.dim(0), 3 * dim);
        qkv.apply(ops, x, projected);
        Tensor context = workspace.take("attention.context", x.dim(0), dim);
        // A sequence with no valid frame has every key masked alike; the reference then softmaxes them all.
        int[] keys = new int[batch];
        for (int b = 0; b < batch; b++) keys[b] = frames[b] == 0 ? steps : frames[b];
        if (BLOCKED_FROM == 0 || steps == 0) {
            if (steps > 0) ops.multiHeadAttention(projected, keys, heads, queryScale, parallel, context);
        } else {
            // Heads are the parallel unit: each head's GEMMs are small, and run single-threaded inside a task.
            parallel.parallelFor(batch * heads, job -> {
                int b = job / heads, h = job % heads;
                Tensor rows = projected.slice(0, b * steps, (b + 1) * steps);
                Tensor q = rows.slice(1, h * headDim, (h + 1) * headDim);
                Tensor k = rows.slice(1, dim + h * headDim, dim + (h + 1) * headDim);
                Tensor v = rows.slice(1, 2 * dim + h * headDim, 2 * dim + (h + 1) * headDim);
                attend(q, k, v, keys[b], context.slice(0, b * steps, (b + 1) * steps).slice(1, h * headDim, (h + 1) * headDim));
            });
        }
        out.applyAdding(ops, context, residual);
    }

    /**
     * 0 (the default): attention is {@link Ops#multiHeadAttention}, whose CPU form runs {@link Ops#attention}
     * (blocked, online softmax, no T × T scores) a head at a time. N > 0, for comparisons
     * ({@code -Dser.attention.blockedFrom=N}, docs/hubert.md): heads of fewer than N keys run the unblocked form
     * here instead, their scores in a workspace buffer.
     */
    static final int BLOCKED_FROM = Integer.getInteger("ser.attention.blockedFrom", 0);

    /** One head of one sequence: {@code result = softmax(q·kᵀ / √d) · v} over the first {@code keys} keys. */
    private void attend(Tensor q, Tensor k, Tensor v, int keys, Tensor result) {
        if (keys >= BLOCKED_FROM) {
            ops.attention(q, k, v, keys, queryScale, result);
            return;
        }
        Tensor scores = workspace.take("attention.scores", q.dim(0), keys); // the running thread's own
        // The reference scales the projected queries by 1/√d before scoring them: here, in the head's task, in
        // place (this head's columns of the projection are read by nothing else), rather than through a GEMM with
        // alpha ≠ 1, which takes a slower path, or as a pass of its own over all heads.
        ops.scale(q, queryScale, q);
        ops.gemm(1f, q, k.slice(0, 0, keys).transpose(0, 1), 0f, scores);
        ops.softmax(scores, scores);
        ops.gemm(1f, scores, v.slice(0, 0, keys), 0f, result);
    }
}
