package ser.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A shared library opened through the FFM API, with downcall handles looked up by name.
 *
 * <p>Hand-written bindings: jextract is not available here and JCuda does not match CUDA 13, and the few
 * dozen entry points we need are easy to declare by hand from {@code cuda.h} and {@code cublas_api.h}.
 */
final class NativeLibrary {

    private static final Linker LINKER = Linker.nativeLinker();

    private final String name;
    private final SymbolLookup lookup;

    private NativeLibrary(String name, SymbolLookup lookup) {
        this.name = name;
        this.lookup = lookup;
    }

    /** The first of {@code candidates} that the dynamic loader can open, or empty. */
    static Optional<NativeLibrary> open(String... candidates) {
        for (String candidate : candidates) {
            try {
                return Optional.of(new NativeLibrary(candidate, SymbolLookup.libraryLookup(candidate, Arena.global())));
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        return Optional.empty();
    }

    String name() {
        return name;
    }

    /** A downcall handle for {@code symbol}; a missing symbol is a CudaException naming library and symbol. */
    MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(symbol)
                .orElseThrow(() -> new CudaException(name + " has no symbol " + symbol + " (driver too old?)"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** Like {@link #function} but tries each symbol in turn (versioned names such as {@code _v2}). */
    MethodHandle firstFunction(FunctionDescriptor descriptor, String... symbols) {
        for (String symbol : symbols) {
            Optional<MemorySegment> address = lookup.find(symbol);
            if (address.isPresent()) return LINKER.downcallHandle(address.get(), descriptor);
        }
        throw new CudaException(name + " has none of the symbols " + String.join(", ", symbols));
    }
}
