package ser.autograd;

/**
 * One float array (and one int array) that an op hands back when it is done with it and takes again next time,
 * instead of allocating a new one on every training step. For the big temporaries that never leave an op: the Mel
 * CNN's first convolution writes a 316 MB map per batch of 128, and its pooling's argmax map is a quarter of that.
 * The JVM zeroes every new array before handing it out, on the allocating thread alone, a pass over memory that
 * buys nothing when the op overwrites the whole array anyway.
 *
 * <p>An array taken and never given back (a graph dropped before backward) is simply garbage: the next
 * {@link #take} allocates.
 */
public final class ReusableBuffer {

    private float[] spare;
    private int[] spareInts;

    /** An array of exactly {@code size} floats with unspecified contents: the spare one if it fits, else a new one. */
    synchronized float[] take(int size) {
        float[] a = spare;
        if (a != null && a.length == size) {
            spare = null;
            return a;
        }
        return new float[size];
    }

    /** Keeps {@code a} for the next {@link #take}; the caller must not touch it again. */
    synchronized void giveBack(float[] a) {
        spare = a;
    }

    /** As {@link #take}, for an int array. */
    synchronized int[] takeInts(int size) {
        int[] a = spareInts;
        if (a != null && a.length == size) {
            spareInts = null;
            return a;
        }
        return new int[size];
    }

    /** Keeps {@code a} for the next {@link #takeInts}; the caller must not touch it again. */
    synchronized void giveBack(int[] a) {
        spareInts = a;
    }
}
