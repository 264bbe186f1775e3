/**
 * Reverse-mode automatic differentiation on heap {@link ser.tensor.Tensor}s.
 *
 * <p>A {@link ser.autograd.Variable} holds a value and, after {@link ser.autograd.Variable#backward()}, a
 * gradient. Each op ({@link ser.autograd.LinearOp}, {@link ser.autograd.Conv2dOp}, {@link ser.autograd.BatchNormOp},
 * {@link ser.autograd.Activations}, {@link ser.autograd.MaxPool2dOp}, {@link ser.autograd.DropoutOp},
 * {@link ser.autograd.TimePooling}, {@link ser.autograd.Shapes}, {@link ser.autograd.LayerWeightedSum},
 * {@link ser.autograd.GatedMix}, {@link ser.autograd.CrossEntropy}) computes its
 * result and records a closure that maps the result's gradient to its inputs' gradients; backward runs the
 * closures in reverse topological order. {@link ser.autograd.GradMode#noGrad()} turns recording off for inference.
 *
 * <p>How it is checked. Every op has a plain double-precision reference in {@code ser.autograd.reference}, forward
 * and backward. The tests compare (1) each reference backward with central finite differences of the reference
 * forward in float64, where {@code h = 1e-6} gives agreement to about 1e-9, and (2) each float op, run through
 * the graph, with its reference. The compute-heavy ops go through {@link ser.autograd.kernels.Kernels}: vectorised
 * kernels by default, or the references themselves ({@code module.to(Kernels.REFERENCE)}). Finally the whole
 * Mel CNN is compared with PyTorch: loss, every gradient, running statistics and an Adam loss curve.
 */
package ser.autograd;
