package ser.io.pickle;

import java.util.List;
import java.util.function.Function;

/**
 * A Python callable or class that a pickle may name with GLOBAL or STACK_GLOBAL because the allow-list holds
 * it. Each one builds a plain Java value from plain arguments: nothing is imported, nothing executes.
 * A global that is only ever a marker (a storage type) keeps the refusing defaults.
 */
public interface PickleGlobal {

    /** A global whose call is a pure function of its arguments and which takes no state. */
    static PickleGlobal function(String name, Function<List<Object>, Object> call) {
        return new PickleGlobal() {
            @Override public String name() { return name; }

            @Override public Object call(List<Object> args) { return call.apply(args); }
        };
    }

    /** {@code module.name}, for messages. */
    String name();

    /** REDUCE, NEWOBJ, INST, OBJ: what calling or instantiating this global with {@code args} gives. */
    default Object call(List<Object> args) {
        throw new UnpicklingError("refusing to call " + name() + ": it may only appear as a value");
    }

    /** BUILD on an object this global made: applies the pickled state to {@code made} in place. */
    default void build(Object made, Object state) {
        throw new UnpicklingError("refusing to set the state of a " + name() + ": its pickle should not carry one");
    }

    /** Fails unless {@code args} has between {@code min} and {@code max} items. */
    default void expectArgs(List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            String want = min == max ? String.valueOf(min) : min + " to " + max;
            throw new UnpicklingError(name() + " called with " + args.size() + " arguments, expected " + want);
        }
    }

    /** {@code args.get(i)} as a {@code type}, or a clear error naming this global and the argument. */
    default <T> T arg(List<Object> args, int i, Class<T> type) {
        Object v = args.get(i);
        if (!type.isInstance(v)) {
            throw new UnpicklingError(name() + " argument " + (i + 1) + " is " + SafeUnpickler.aType(v)
                    + ", expected a " + type.getSimpleName());
        }
        return type.cast(v);
    }
}
