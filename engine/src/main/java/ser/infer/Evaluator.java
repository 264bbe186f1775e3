package ser.infer;

import ser.data.Utterance;
import ser.eval.Evaluation;
import ser.eval.plot.TrainingCurvesPlot;
import ser.model.Inference;
import ser.features.Examples;
import ser.run.EpochRecord;
import ser.run.TrainedModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Scores a trained model on examples and writes the evaluation files and the run's training curves. */
public final class Evaluator {

    private Evaluator() {}

    public static Evaluation.Scores evaluate(TrainedModel model, Examples examples, Path out, Map<String, Object> context) {
        float[][] logits = model.logits(examples.inputs());
        List<Evaluation.Row> rows = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            Utterance u = examples.utterances().get(i);
            rows.add(new Evaluation.Row(u.path().toString(), u.corpus(), examples.labels()[i],
                    Inference.argmax(logits[i]), Inference.probabilities(logits[i])));
        }
        Evaluation.Scores scores = Evaluation.write(out, model.labels(), rows, context);
        writeCurves(model.run().readMetrics(), out.resolve("curves.png"));
        return scores;
    }

    /** curves.png from a run's metrics; nothing for an imported model, which has no training history. */
    public static void writeCurves(List<EpochRecord> history, Path png) {
        if (history.isEmpty()) return;
        int n = history.size();
        double[] epochs = new double[n], tl = new double[n], vl = new double[n], ta = new double[n], va = new double[n];
        for (int i = 0; i < n; i++) {
            EpochRecord r = history.get(i);
            epochs[i] = r.epoch();
            tl[i] = r.trainLoss();
            vl[i] = r.valLoss();
            ta[i] = r.trainAccuracy();
            va[i] = r.valAccuracy();
        }
        TrainingCurvesPlot.write(png, new TrainingCurvesPlot.Curves(epochs, tl, vl, ta, va));
    }
}
