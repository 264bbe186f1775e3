package ser.cuda;

/** A failed CUDA driver or cuBLAS call: names the call, the status code and the library's own error string. */
public final class CudaException extends RuntimeException {

    private final int status;

    public CudaException(String call, int status, String name, String description) {
        super(call + " failed: " + name + " (" + status + ")" + (description == null ? "" : ": " + description));
        this.status = status;
    }

    public CudaException(String message) {
        super(message);
        this.status = -1;
    }

    public int status() {
        return status;
    }
}
