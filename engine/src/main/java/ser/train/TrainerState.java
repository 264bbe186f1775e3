package ser.train;

import ser.run.EpochRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands, besides the weights and the optimiser: the checkpoint's JSON metadata. With the seeds
 * derived from (run seed, epoch, step), these counters are the whole random state: nothing else needs saving
 * for a resumed run to draw the same batches, masks and mixes.
 *
 * @param epoch        epochs completed
 * @param step         steps completed inside epoch {@code epoch} (0 at an epoch boundary)
 * @param globalStep   optimiser steps so far (the schedule's position)
 * @param lossSum      sum of batch loss × batch size over the current epoch's completed steps
 * @param correct      correctly classified training examples of the current epoch so far
 * @param seen         training examples of the current epoch so far
 * @param history      one record per completed epoch
 * @param bestEpoch    the epoch whose weights are in best.safetensors (0: none yet)
 * @param bestScore    its monitored score
 * @param stopped      early stopping ended the run
 */
public record TrainerState(int epoch, int step, long globalStep, double lossSum, long correct, long seen,
                           List<EpochRecord> history, int bestEpoch, double bestScore, boolean stopped) {

    static TrainerState start() {
        return new TrainerState(0, 0, 0, 0, 0, 0, List.of(), 0, Double.NaN, false);
    }

    public TrainerState {
        history = List.copyOf(history);
    }

    /** Epochs since the best one. */
    int sinceBest() {
        return epoch - bestEpoch;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("global_step", globalStep);
        m.put("loss_sum", lossSum); // Java writes doubles in digits that read back to the same bits
        m.put("correct", correct);
        m.put("seen", seen);
        m.put("best_epoch", bestEpoch);
        m.put("best_score", Double.isFinite(bestScore) ? bestScore : null);
        m.put("stopped", stopped);
        List<Object> h = new ArrayList<>();
        for (EpochRecord r : history) h.add(r.toJson());
        m.put("history", h);
        return m;
    }

    static TrainerState fromJson(Map<?, ?> m) {
        List<EpochRecord> history = new ArrayList<>();
        for (Object r : (List<?>) m.get("history")) history.add(EpochRecord.fromJson((Map<?, ?>) r));
        return new TrainerState(integer(m, "epoch"), integer(m, "step"), whole(m, "global_step"),
                ((Number) m.get("loss_sum")).doubleValue(), whole(m, "correct"), whole(m, "seen"), history,
                integer(m, "best_epoch"), m.get("best_score") instanceof Number b ? b.doubleValue() : Double.NaN,
                (Boolean) m.get("stopped"));
    }

    private static long whole(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    private static int integer(Map<?, ?> m, String key) {
        return Math.toIntExact(whole(m, key));
    }
}
