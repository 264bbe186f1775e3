package ser.cuda;

/**
 * Where a profiled forward pass reports its stages: {@link #start} before the first is queued, {@link #mark} after
 * each (on the stream, so an implementation records a device event there). {@link CudaHubert#profile} takes one;
 * the GPU bench's event timer (kernels' test code, {@code StageTimer}) is the one we have.
 */
public interface StageMarks {

    /** A pass begins: forget the last one's marks. */
    void start();

    /** The stage just queued ends here. */
    void mark(String stage);
}
