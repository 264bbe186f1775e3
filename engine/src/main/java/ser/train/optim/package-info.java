/**
 * Optimisers with PyTorch's update rules ({@link ser.train.optim.Adam}, {@link ser.train.optim.AdamW},
 * {@link ser.train.optim.Sgd}), learning-rate {@link ser.train.optim.Schedule}s with linear warm-up, and
 * {@link ser.train.optim.GradientClipping} by global norm. Updates are sequential float loops: bit-reproducible.
 */
package ser.train.optim;
