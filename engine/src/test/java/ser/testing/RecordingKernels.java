package ser.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import ser.autograd.kernels.Kernels;

/** A backend that notes the name of every kernel called on it and hands the call on to {@link Kernels#SIMD}. */
public final class RecordingKernels {

    private RecordingKernels() {}

    public static Kernels into(Set<String> called) {
        return (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, args) -> {
                    synchronized (called) {
                        called.add(method.getName());
                    }
                    try {
                        return method.invoke(Kernels.SIMD, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
