package ser.io.pickle;

import ser.SerException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standard-library globals that checkpoints name: ordered dicts, sets, bytes in protocol 2, and the
 * {@code argparse.Namespace} that fairseq stores its configuration in (rebuilt as a plain map of its fields).
 */
public final class PythonGlobals {

    private PythonGlobals() {}

    /** The allow-list entries, keyed {@code module.name}. */
    public static Map<String, PickleGlobal> all() {
        Map<String, PickleGlobal> globals = new LinkedHashMap<>();
        add(globals, new OrderedDict());
        add(globals, new Namespace());
        add(globals, PickleGlobal.function("builtins.set", args -> { Set<Object> s = HashableKeys.set(); s.addAll(members(args)); return s; }));
        add(globals, PickleGlobal.function("builtins.frozenset",
                args -> HashableKeys.frozenset(members(args))));
        add(globals, new CodecsEncode());
        globals.putAll(NumpyGlobals.all());
        return globals;
    }

    static void add(Map<String, PickleGlobal> globals, PickleGlobal g) {
        globals.put(g.name(), g);
    }

    /** {@code set(iterable)} / {@code frozenset(iterable)}: protocol 2 pickles sets as a call on a list. */
    private static List<Object> members(List<Object> args) {
        if (args.isEmpty()) return List.of();
        if (args.size() == 1 && args.getFirst() instanceof List<?> items) {
            @SuppressWarnings("unchecked") List<Object> members = (List<Object>) items;
            return members;
        }
        throw new UnpicklingError("set() called with " + args.size() + " arguments that are not one list");
    }

    /** {@code OrderedDict()} or {@code OrderedDict([(k, v), ...])}; the items usually follow by SETITEMS. */
    private static final class OrderedDict implements PickleGlobal {
        @Override public String name() { return "collections.OrderedDict"; }

        @Override
        public Object call(List<Object> args) {
            expectArgs(args, 0, 1);
            Map<Object, Object> map = HashableKeys.dict();
            if (args.isEmpty()) return map;
            for (Object pair : arg(args, 0, List.class)) {
                if (!(pair instanceof List<?> kv) || kv.size() != 2) throw new UnpicklingError(name() + " item is not a pair");
                map.put(kv.get(0), kv.get(1));
            }
            return map;
        }

        /**
         * The state is the dict's Python attributes, not its items: a state dict's {@code _metadata} (module
         * versions). The weights do not depend on it, so it is dropped.
         */
        @Override
        public void build(Object made, Object state) {
            if (!(state instanceof Map<?, ?>) && state != null) {
                throw new UnpicklingError(name() + " state is " + SafeUnpickler.aType(state) + ", not a dict");
            }
        }
    }

    /** {@code argparse.Namespace}: made empty by NEWOBJ, then BUILD sets its fields; here a map of them. */
    private static final class Namespace implements PickleGlobal {
        @Override public String name() { return "argparse.Namespace"; }

        @Override
        public Object call(List<Object> args) {
            expectArgs(args, 0, 0);
            return HashableKeys.dict();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void build(Object made, Object state) {
            // the state is the instance __dict__, or (__dict__, slots) for classes with slots
            Object fields = state instanceof List<?> pair && pair.size() == 2 ? pair.getFirst() : state;
            if (!(fields instanceof Map<?, ?> m)) {
                throw new UnpicklingError(name() + " state is " + SafeUnpickler.aType(state) + ", not a dict");
            }
            ((Map<Object, Object>) made).putAll(m);
        }
    }

    /** {@code _codecs.encode(text, "latin1")}: how protocol 2 spells a {@code bytes} object. */
    private static final class CodecsEncode implements PickleGlobal {
        @Override public String name() { return "_codecs.encode"; }

        @Override
        public Object call(List<Object> args) {
            expectArgs(args, 1, 2);
            String text = arg(args, 0, String.class);
            String encoding = args.size() == 2 ? arg(args, 1, String.class) : "utf-8";
            return switch (encoding.toLowerCase().replace('_', '-')) {
                case "latin1", "latin-1", "iso-8859-1" -> text.getBytes(StandardCharsets.ISO_8859_1);
                case "utf-8", "utf8" -> text.getBytes(StandardCharsets.UTF_8);
                case "ascii" -> text.getBytes(StandardCharsets.US_ASCII);
                default -> throw new UnpicklingError(name() + " with encoding " + SerException.quote(encoding));
            };
        }
    }
}
