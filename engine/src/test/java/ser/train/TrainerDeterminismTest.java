package ser.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.features.Examples;
import ser.run.RunDirectory;
import ser.run.TrainConfig;
import ser.testing.TinyRuns;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Training gives the same weights whether the kernels run interpreted, C1- or C2-compiled: the first run in this
 * JVM (cold) and the tenth (compiled) agree bit for bit. Vector lane reductions in an unspecified order broke this.
 */
class TrainerDeterminismTest {

    @Test
    void coldAndCompiledRunsAgree(@TempDir Path dir) {
        TrainConfig config = TinyRuns.config(dir, "training: {epochs: 2, batch_size: 4, lr: 0.01}\n");
        Examples train = TinyRuns.examples(12, 1), val = TinyRuns.examples(6, 2);
        float[] cold = null;
        for (int run = 0; run < 10; run++) {
            Trainer t = new Trainer(config, TinyRuns.LABELS, train, val, new RunDirectory(dir.resolve("r" + run)),
                    TrainingListener.SILENT);
            t.run(false);
            float[] weights = t.model().stateDict().get("0.weight").toArray();
            if (cold == null) cold = weights;
            else assertArrayEquals(cold, weights, "run " + run);
        }
    }
}
