package ser.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.features.Examples;
import ser.run.EpochRecord;
import ser.run.RunDirectory;
import ser.run.TrainConfig;
import ser.tensor.Tensor;
import ser.testing.TinyRuns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed at an epoch boundary or in the middle of an epoch and resumed ends with the same weights, bit for
 * bit, and the same metrics as a run that was never interrupted; so does a second run with the same seed.
 * The recipe switches on everything random: dropout, SpecAugment, mixup, shuffling, class weights.
 */
class TrainerResumeTest {

    private static final String RECIPE = """
            training: {epochs: 3, batch_size: 4, optimizer: adamw, lr: 0.01, schedule: cosine, warmup_epochs: 1,
                       class_weights: balanced, label_smoothing: 0.1, grad_clip: 1.0, checkpoint_every: 1}
            augment: {time_masks: 1, time_mask_width: 3, freq_masks: 1, freq_mask_width: 2, mixup: 0.4}
            """;

    /** Thrown by the listener to stop a run the way a kill would: no clean-up, no final writes. */
    private static final class Killed extends RuntimeException {}

    @Test
    void killedAndResumedRunsEndBitIdenticalToAnUnbrokenOne(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(dir, RECIPE);
        Examples train = TinyRuns.examples(10, 1), val = TinyRuns.examples(6, 2);

        RunDirectory unbroken = new RunDirectory(dir.resolve("unbroken"));
        TrainerState expected = new Trainer(config, TinyRuns.LABELS, train, val, unbroken, TrainingListener.SILENT).run(false);
        Map<String, Tensor> expectedWeights = weights(unbroken);
        assertEquals(3, expected.history().size());

        // Same seed, fresh run: the same weights (nothing depends on time or on the process).
        RunDirectory again = new RunDirectory(dir.resolve("again"));
        new Trainer(config, TinyRuns.LABELS, train, val, again, TrainingListener.SILENT).run(false);
        assertSameWeights(expectedWeights, weights(again));

        // Killed after epoch 1 was saved.
        RunDirectory boundary = new RunDirectory(dir.resolve("boundary"));
        assertThrows(Killed.class, () -> new Trainer(config, TinyRuns.LABELS, train, val, boundary, new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int steps, int done) {
                if (epoch == 2) throw new Killed();
            }
        }).run(false));
        TrainerState resumed = new Trainer(config, TinyRuns.LABELS, train, val, boundary, TrainingListener.SILENT).run(true);
        assertSameWeights(expectedWeights, weights(boundary));
        assertSameHistory(expected, resumed);
        assertEquals(3, boundary.readMetrics().size(), "metrics.jsonl has each epoch once");

        // Killed in the middle of epoch 2, after the mid-epoch checkpoint of its second step.
        RunDirectory midway = new RunDirectory(dir.resolve("midway"));
        assertThrows(Killed.class, () -> new Trainer(config, TinyRuns.LABELS, train, val, midway, new TrainingListener() {
            int epoch, steps;

            @Override
            public void epochStarted(int epoch, int epochs, int steps, int done) {
                this.epoch = epoch;
                this.steps = 0;
            }

            @Override
            public void stepFinished(double meanLoss, double accuracy) {
                if (epoch == 2 && ++steps == 2) throw new Killed();
            }
        }).run(false));
        TrainerState stateAtKill = Checkpoints.readLast(midway.last(),
                new Trainer(config, TinyRuns.LABELS, train, val, midway, TrainingListener.SILENT).model(),
                Trainer.optimizer(config.training(), List.of()));
        assertEquals(1, stateAtKill.epoch());
        assertEquals(2, stateAtKill.step(), "the kill came after the checkpoint of step 2 of epoch 2");
        TrainerState resumedMidway = new Trainer(config, TinyRuns.LABELS, train, val, midway, TrainingListener.SILENT).run(true);
        assertSameWeights(expectedWeights, weights(midway));
        assertSameHistory(expected, resumedMidway);

        // Best and last checkpoints are there, and the log says what happened.
        assertTrue(Files.isRegularFile(midway.best()));
        assertTrue(Files.readString(midway.log()).contains("resumed at epoch 2, step 2"));
    }

    @Test
    void earlyStoppingEndsTheRunAndResumeKeepsItEnded(@TempDir Path dir) {
        // lr 0 never improves the validation loss after epoch 1: patience 2 stops after epoch 3 of 10.
        TrainConfig config = TinyRuns.config(dir, "training: {epochs: 10, batch_size: 5, lr: 0.0, patience: 2}\n");
        Examples train = TinyRuns.examples(10, 1), val = TinyRuns.examples(6, 2);
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        TrainerState end = new Trainer(config, TinyRuns.LABELS, train, val, run, TrainingListener.SILENT).run(false);
        assertTrue(end.stopped());
        assertEquals(3, end.epoch());
        assertEquals(1, end.bestEpoch());
        TrainerState again = new Trainer(config, TinyRuns.LABELS, train, val, run, TrainingListener.SILENT).run(true);
        assertEquals(3, again.epoch(), "a stopped run stays stopped");
    }

    private static Map<String, Tensor> weights(RunDirectory run) {
        return ser.io.Safetensors.read(run.last()).tensors();
    }

    private static void assertSameWeights(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k).toArray(), actual.get(k).toArray(), k);
    }

    private static void assertSameHistory(TrainerState expected, TrainerState actual) {
        assertEquals(expected.history().size(), actual.history().size());
        for (int i = 0; i < expected.history().size(); i++) {
            EpochRecord a = expected.history().get(i), b = actual.history().get(i);
            assertEquals(a.trainLoss(), b.trainLoss(), 0, "epoch " + a.epoch());
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0);
            assertEquals(a.valLoss(), b.valLoss(), 0);
            assertEquals(a.valUar(), b.valUar(), 0);
            assertEquals(a.learningRate(), b.learningRate(), 0);
        }
        assertEquals(expected.bestEpoch(), actual.bestEpoch());
    }
}
