/**
 * Plain scalar references of every autograd op, in double precision.
 *
 * <p>They are the ground truth twice over: the gradient checks compare their backward passes with central finite
 * differences of their forward passes (float64 makes that comparison tight), and the float ops and vectorised
 * kernels of {@code ser.autograd} are tested against them. Loops are written for obviousness, not speed.
 */
package ser.autograd.reference;
