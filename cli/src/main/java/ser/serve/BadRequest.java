package ser.serve;

/** A request the server answers with a 4xx or 5xx status and a one-line JSON error naming the problem. */
final class BadRequest extends RuntimeException {

    final int status;
    /** The Retry-After header's seconds (for 503), or null. */
    final String retryAfter;
    /** The Allow header's methods (for 405), or null. */
    final String allow;

    BadRequest(String message) {
        this(400, message);
    }

    BadRequest(int status, String message) {
        this(status, message, null);
    }

    BadRequest(int status, String message, String retryAfter) {
        this(status, message, retryAfter, null);
    }

    private BadRequest(int status, String message, String retryAfter, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.allow = allow;
    }

    static BadRequest methodNotAllowed(String method, String allowed) {
        return new BadRequest(405, method + " is not allowed here; use " + allowed, null, allowed);
    }
}
