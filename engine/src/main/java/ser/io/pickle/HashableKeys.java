package ser.io.pickle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *
 * <p>Keys that are cheap to hash may still be crafted to share one hash code: the 2<sup>17</sup> strings made of
 * {@code "Aa"} and {@code "BB"} do, and so do the 1-tuples of them. A Java map compares a new key with every
 * key of its hash code that is not {@link Comparable} (a tuple is not), so {@code n} of them cost {@code n²/2}
 * comparisons. The dicts and sets of a pickle are therefore made here ({@link #dict()}, {@link #set()},
 * {@link #frozenset}): each insert is charged the keys of the same hash code already there, against the same
 * per-pickle budget as the visits.
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

    /** A new, empty {@code dict}: keys checked as they are put, and collisions charged. */
    public static Map<Object, Object> dict() {
        return new Dict();
    }

    /** A new, empty mutable {@code set}: members checked as they are added, and collisions charged. */
    public static Set<Object> set() {
        return new MutableSet();
    }

    /** A {@code frozenset} of {@code members}, checked and charged as {@link #set()}'s. */
    public static Set<Object> frozenset(Collection<?> members) {
        Set<Object> s = new MutableSet();
        s.addAll(members);
        return Collections.unmodifiableSet(s);
    }

    /** Whether {@code v} is a mutable {@code set} made by {@link #set()} (a frozenset is not). */
    static boolean isMutableSet(Object v) {
        return v instanceof MutableSet;
    }

    /**
     * Charges {@code cost} steps (parts visited, or keys of one hash code compared) to this pickle; both kinds
     * share the budget, so the one message names both.
     */
    private static void spend(long cost) {
        spend(SPENT.get(), cost);
    }

    private static void spend(long[] spent, long cost) {
        spent[0] += cost;
        if (spent[0] > MAX_NODES_PER_PICKLE) {
            throw new UnpicklingError("dict keys and set members too costly to hash: more than "
                    + MAX_NODES_PER_PICKLE + " steps in all (parts visited plus keys of one hash code compared)");
        }
    }

    /** Counts the keys per hash code of one dict or set, and charges each insert for those already there. */
    private static final class Collisions {
        private final Map<Integer, Integer> perHash = new HashMap<>();

        /** Checks {@code key} and charges inserting it: one comparison per key of its hash code already there. */
        void charge(Object key) {
            check(key);
            spend(perHash.getOrDefault(Objects.hashCode(key), 0));
        }

        /** Counts {@code key}, which the container did not hold before. */
        void added(Object key) {
            perHash.merge(Objects.hashCode(key), 1, Integer::sum);
        }
    }

    private static final class Dict extends LinkedHashMap<Object, Object> {
        private final transient Collisions collisions = new Collisions();

        @Override
        public Object put(Object key, Object value) {
            collisions.charge(key);
            boolean fresh = !containsKey(key);
            Object old = super.put(key, value);
            if (fresh) collisions.added(key);
            return old;
        }

        @Override
        public void putAll(Map<?, ?> m) {
            m.forEach(this::put);
        }
    }

    private static final class MutableSet extends LinkedHashSet<Object> {
        private final transient Collisions collisions = new Collisions();

        @Override
        public boolean add(Object member) {
            collisions.charge(member);
            boolean added = super.add(member);
            if (added) collisions.added(member);
            return added;
        }

        @Override
        public boolean addAll(Collection<?> members) {
            boolean changed = false;
            for (Object m : members) changed |= add(m);
            return changed;
        }
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
            spend(spent, 1);
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
                case Set<?> frozen when !isMutableSet(frozen) -> {
                    for (Object item : frozen) visit(item, depth + 1);
                }
                default -> throw new UnpicklingError(SafeUnpickler.aType(key) + " cannot be a dict key or set member");
            }
        }
    }
}
