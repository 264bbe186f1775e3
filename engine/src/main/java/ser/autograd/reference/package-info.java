/**
 * Plain scalar references of every autograd op, in double precision, and the one shape record they need
 * ({@link ser.autograd.reference.ConvShape}).
 *
 * <p>They are the ground truth twice over: the gradient checks compare their backward passes with central finite
 * differences of their forward passes (float64 makes that comparison tight), and the float ops and every kernels
 * backend of {@code ser.autograd} are tested against them ({@code ReferenceKernels} is them, rounded). Loops are
 * written for obviousness, not speed. This package is the bottom of {@code ser.autograd}: it depends on nothing
 * else there.
 */
package ser.autograd.reference;
