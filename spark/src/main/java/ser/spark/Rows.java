package ser.spark;

import java.util.Iterator;
import java.util.function.Function;

/** A partition's rows mapped one at a time as Spark pulls them, so that a partition is never all in memory. */
final class Rows {

    private Rows() {}

    static <A, B> Iterator<B> map(Iterator<A> in, Function<A, B> f) {
        return new Iterator<>() {
            public boolean hasNext() { return in.hasNext(); }

            public B next() { return f.apply(in.next()); }
        };
    }
}
