/**
 * Layers and models on top of {@code ser.autograd}: {@link ser.nn.Module} (named parameters and buffers, train and
 * eval modes, PyTorch-named state dicts), {@link ser.nn.Linear}, {@link ser.nn.Conv2d}, {@link ser.nn.BatchNorm2d},
 * {@link ser.nn.BatchNorm1d}, {@link ser.nn.Dropout}, {@link ser.nn.Sequential}, and the seed's heads
 * {@link ser.nn.MelCnn} and {@link ser.nn.HubertMlp}. Initialisation follows PyTorch's defaults from a seeded
 * generator, so a seed fixes a model.
 */
package ser.nn;
