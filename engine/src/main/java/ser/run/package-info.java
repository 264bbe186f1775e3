/**
 * What a training run is on disk, shared by the layers that write runs and those that read them: the recipe
 * ({@link ser.run.TrainConfig} and its sections {@link ser.run.TrainingConfig}, {@link ser.run.DataConfig},
 * {@link ser.run.SplitConfig}, {@link ser.run.FeatureSection}, {@link ser.run.AugmentConfig}), the run directory
 * ({@link ser.run.RunDirectory}) and the records in it ({@link ser.run.DataRecord} for {@code data.json},
 * {@link ser.run.EpochRecord} for {@code metrics.jsonl}), and {@link ser.run.TrainedModel}, a run's best model
 * with its feature pipelines, ready for use.
 *
 * <p>It sits above {@code features} and {@code model} and below {@code train}, {@code infer} and {@code job}, and
 * knows nothing of them: how to train (optimisers, augmentation) is {@code ser.train}'s, reading only the recipe.
 */
package ser.run;
