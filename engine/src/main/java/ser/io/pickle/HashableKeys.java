package ser.io.pickle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a value may be a dict key or set member before a Java map or set hashes it.
 *
 * <p>Python hashes only what cannot change (no lists), and so do we: a list could contain itself, and hashing
 * it would recurse until the stack overflows. Tuples and frozensets are fixed at birth, so never cyclic, but
 * they may share parts: {@code t = (t, t)} nested 64 deep is a 792-byte pickle, and Java's
 * {@link List#hashCode} and {@link List#equals} walk every path through it, 2<sup>64</sup> of them. So the
 * check walks a key the way hashing will, counting what it visits, and refuses a key past
 * {@value #MAX_NODES} visits or {@value #MAX_DEPTH} levels; what passes hashes and compares in as many steps.
 */
public final class HashableKeys {

    /** Deeper keys than this are refused: hashing one recurses once per level. */
    public static final int MAX_DEPTH = 100;

    /** More visits than this (every path through shared parts counts) are refused: hashing takes as many. */
    public static final int MAX_NODES = 100_000;

    /**
     * Visits of all the keys of one pickle: a key within {@link #MAX_NODES} may still be used as a key millions of
     * times, each use hashed and compared anew.
     */
    public static final long MAX_NODES_PER_PICKLE = 10_000_000;

    /** Visits so far in the pickle this thread is loading; {@link SafeUnpickler#load} starts it at zero. */
    private static final ThreadLocal<long[]> SPENT = ThreadLocal.withInitial(() -> new long[1]);

    private HashableKeys() {}

    /** Starts the count of {@link #MAX_NODES_PER_PICKLE} for a new pickle on this thread. */
    static void startPickle() {
        SPENT.get()[0] = 0;
    }

    /** {@code key} itself, once it is known to hash and compare in bounded time; else an {@link UnpicklingError}. */
    public static Object check(Object key) {
        new Walk().visit(key, 0);
        return key;
    }

    /** Every one of {@code keys} checked, as {@link #check}. */
    public static List<Object> checkAll(List<Object> keys) {
        keys.forEach(HashableKeys::check);
        return keys;
    }

    private static final class Walk {
        private int visited;
        private final long[] spent = SPENT.get();

        void visit(Object key, int depth) {
            if (depth > MAX_DEPTH) {
                throw new UnpicklingError("a dict key or set member nested deeper than " + MAX_DEPTH + " levels");
            }
            if (++visited > MAX_NODES) {
                throw new UnpicklingError("a dict key or set member of more than " + MAX_NODES
                        + " parts (counting shared parts once per use), too costly to hash");
            }
            if (++spent[0] > MAX_NODES_PER_PICKLE) {
                throw new UnpicklingError("dict keys and set members of more than " + MAX_NODES_PER_PICKLE
                        + " parts in all, too costly to hash");
            }
            switch (key) {
                case null -> { }
                case String s -> { }
                case Long l -> { }
                case BigInteger b -> { }
                case Double d -> { }
                case Boolean b -> { }
                case byte[] b -> { }
                case ArrayList<?> l -> throw new UnpicklingError("a list cannot be a dict key or set member");
                case List<?> tuple -> {
                    for (Object item : tuple) visit(item, depth + 1);
                }
                case Set<?> frozen when !(frozen instanceof LinkedHashSet) -> {
                    for (Object item : frozen) visit(item, depth + 1);
                }
                default -> throw new UnpicklingError(SafeUnpickler.aType(key) + " cannot be a dict key or set member");
            }
        }
    }
}
