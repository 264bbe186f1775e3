/**
 * Reverse-mode automatic differentiation on the {@link ser.tensor.Tensor}s of one training backend.
 *
 * <p>A {@link ser.autograd.Variable} holds a value and, after {@link ser.autograd.Variable#backward()}, a
 * gradient. Each op ({@link ser.autograd.LinearOp}, {@link ser.autograd.Conv2dOp}, {@link ser.autograd.BatchNormOp},
 * {@link ser.autograd.ConvBlockOp}, {@link ser.autograd.Activations}, {@link ser.autograd.MaxPool2dOp},
 * {@link ser.autograd.DropoutOp}, {@link ser.autograd.TimePooling}, {@link ser.autograd.Shapes},
 * {@link ser.autograd.LayerWeightedSum}, {@link ser.autograd.GatedMix}, {@link ser.autograd.CrossEntropy}) computes
 * its result and records a closure that maps the result's gradient to its inputs' gradients; backward runs the
 * closures in reverse topological order. {@link ser.autograd.GradMode#noGrad()} turns recording off for inference.
 *
 * <p>Where the arithmetic runs. The ops check shapes, allocate through the backend, and record the graph; the
 * arithmetic is done by a {@link ser.autograd.kernels.TrainingOps} backend, which each op takes as its first
 * argument: {@link ser.autograd.kernels.HostTrainingOps#SIMD} (vectorised, threaded),
 * {@link ser.autograd.kernels.HostTrainingOps#REFERENCE} (the float64 references, rounded), or a device's (the CUDA
 * backend). There is no global choice: a {@link ser.nn.Module} holds its backend ({@code HostTrainingOps.SIMD}
 * unless {@link ser.nn.Module#to} moved it) and passes it to every op it calls; the trainer passes the model's to
 * the loss. Attentive statistics pooling alone computes on the host, through its reference.
 *
 * <p>How it is checked. Every op has a plain double-precision reference in {@code ser.autograd.reference}, forward
 * and backward. The tests compare (1) each reference backward with central finite differences of the reference
 * forward in float64, where {@code h = 1e-6} gives agreement to about 1e-9, (2) each kernel of every backend with
 * its reference ({@code SimdKernelsTest}), and (3) each float op, run through the graph, with its reference.
 * Finally the whole Mel CNN is compared with PyTorch: loss, every gradient, running statistics and an Adam loss
 * curve.
 *
 * <p>Packages: {@code ser.autograd.reference} is the bottom (it depends on nothing else of autograd);
 * {@code ser.autograd.kernels} depends on it; the ops here on both.
 */
package ser.autograd;
