package ser.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA driver API ({@code libcuda.so.1}), the calls the backend uses, each status checked.
 *
 * <p>Handles ({@code CUcontext}, {@code CUmodule}, {@code CUfunction}, {@code CUstream}, {@code CUevent}) are
 * opaque pointers and travel as {@link MemorySegment}s; device pointers ({@code CUdeviceptr}) are 64-bit
 * integers and travel as {@code long}s.
 */
public final class Driver {

    private static final FunctionDescriptor INT_OF_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_OF_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INT_OF_LONG = FunctionDescriptor.of(JAVA_INT, JAVA_LONG);

    private final NativeLibrary lib;
    private final MethodHandle cuInit, cuGetErrorName, cuGetErrorString, cuDeviceGetCount, cuDeviceGet,
            cuDeviceGetName, cuDeviceTotalMem, cuDeviceGetAttribute, cuDevicePrimaryCtxRetain, cuCtxSetCurrent,
            cuCtxSynchronize, cuModuleLoadData, cuModuleGetFunction, cuLaunchKernel, cuMemAlloc, cuMemFree,
            cuMemAllocHost, cuMemFreeHost, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuMemcpyDtoDAsync, cuMemsetD32Async,
            cuStreamCreate, cuStreamSynchronize, cuStreamDestroy, cuEventCreate, cuEventRecord, cuEventSynchronize,
            cuEventElapsedTime, cuEventDestroy;

    Driver(NativeLibrary lib) {
        this.lib = lib;
        cuInit = lib.function("cuInit", INT_OF_INT);
        cuGetErrorName = lib.function("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        cuGetErrorString = lib.function("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        cuDeviceGetCount = lib.function("cuDeviceGetCount", INT_OF_PTR);
        cuDeviceGet = lib.function("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDeviceGetName = lib.function("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDeviceTotalMem = lib.function("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDeviceGetAttribute = lib.function("cuDeviceGetAttribute",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDevicePrimaryCtxRetain = lib.function("cuDevicePrimaryCtxRetain",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuCtxSetCurrent = lib.function("cuCtxSetCurrent", INT_OF_PTR);
        cuCtxSynchronize = lib.function("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));
        cuModuleLoadData = lib.function("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        cuModuleGetFunction = lib.function("cuModuleGetFunction",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cuLaunchKernel = lib.function("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cuMemAlloc = lib.function("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        cuMemFree = lib.function("cuMemFree_v2", INT_OF_LONG);
        cuMemAllocHost = lib.function("cuMemAllocHost_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        cuMemFreeHost = lib.function("cuMemFreeHost", INT_OF_PTR);
        cuMemcpyHtoDAsync = lib.function("cuMemcpyHtoDAsync_v2",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        cuMemcpyDtoHAsync = lib.function("cuMemcpyDtoHAsync_v2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        cuMemcpyDtoDAsync = lib.function("cuMemcpyDtoDAsync_v2",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
        cuMemsetD32Async = lib.function("cuMemsetD32Async",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));
        cuStreamCreate = lib.function("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuStreamSynchronize = lib.function("cuStreamSynchronize", INT_OF_PTR);
        cuStreamDestroy = lib.function("cuStreamDestroy_v2", INT_OF_PTR);
        cuEventCreate = lib.function("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuEventRecord = lib.function("cuEventRecord", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        cuEventSynchronize = lib.function("cuEventSynchronize", INT_OF_PTR);
        // CUDA 13 headers map cuEventElapsedTime to the _v2 entry point; 12.x drivers only have the original.
        cuEventElapsedTime = lib.firstFunction(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
                "cuEventElapsedTime_v2", "cuEventElapsedTime");
        cuEventDestroy = lib.function("cuEventDestroy_v2", INT_OF_PTR);
    }

    // ---- status ---------------------------------------------------------------------------------------------------

    /** Throws a CudaException naming {@code call} and the driver's own error name and string unless status is 0. */
    void check(String call, int status) {
        if (status == 0) return;
        throw new CudaException(call, status, errorText(cuGetErrorName, status), errorText(cuGetErrorString, status));
    }

    private static String errorText(MethodHandle getter, int status) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = (int) getter.invokeExact(status, out);
            if (rc != 0) return "CUDA_ERROR_" + status;
            return out.get(ADDRESS, 0).reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "CUDA_ERROR_" + status;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    // ---- devices and contexts ---------------------------------------------------------------------------------------

    public void init() {
        try { check("cuInit", (int) cuInit.invokeExact(0)); } catch (Throwable t) { throw rethrow(t); }
    }

    public int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            check("cuDeviceGetCount", (int) cuDeviceGetCount.invokeExact(n));
            return n.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public int device(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = arena.allocate(JAVA_INT);
            check("cuDeviceGet(" + ordinal + ")", (int) cuDeviceGet.invokeExact(d, ordinal));
            return d.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            check("cuDeviceGetName", (int) cuDeviceGetName.invokeExact(buf, 256, device));
            return buf.getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public long deviceMemory(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(JAVA_LONG);
            check("cuDeviceTotalMem", (int) cuDeviceTotalMem.invokeExact(bytes, device));
            return bytes.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code CU_DEVICE_ATTRIBUTE_*}: 75 compute capability major, 76 minor. */
    public int deviceAttribute(int attribute, int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check("cuDeviceGetAttribute(" + attribute + ")", (int) cuDeviceGetAttribute.invokeExact(v, attribute, device));
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Retains the device's primary context (the one the runtime API and cuBLAS share) and makes it current. */
    public MemorySegment retainPrimaryContext(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = arena.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) cuDevicePrimaryCtxRetain.invokeExact(ctx, device));
            MemorySegment handle = ctx.get(ADDRESS, 0);
            setCurrent(handle);
            return handle;
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Binds {@code context} to the calling thread: driver calls act on the current thread's context. */
    public void setCurrent(MemorySegment context) {
        try { check("cuCtxSetCurrent", (int) cuCtxSetCurrent.invokeExact(context)); } catch (Throwable t) { throw rethrow(t); }
    }

    public void synchronize() {
        try { check("cuCtxSynchronize", (int) cuCtxSynchronize.invokeExact()); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- modules and launches -----------------------------------------------------------------------------------------

    /** Loads a fatbin/cubin/PTX image; the image must stay readable for the call only. */
    public MemorySegment loadModule(MemorySegment image) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment module = arena.allocate(ADDRESS);
            check("cuModuleLoadData", (int) cuModuleLoadData.invokeExact(module, image));
            return module.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment function(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fn = arena.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")",
                    (int) cuModuleGetFunction.invokeExact(fn, module, arena.allocateFrom(name)));
            return fn.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code params} is the {@code void**} array of pointers to each argument, as cuLaunchKernel wants it. */
    public void launch(String name, MemorySegment function, LaunchConfig config, MemorySegment stream,
                       MemorySegment params) {
        try {
            check("cuLaunchKernel(" + name + ")", (int) cuLaunchKernel.invokeExact(function,
                    config.gridX(), config.gridY(), 1, config.blockX(), 1, 1, config.sharedBytes(),
                    stream, params, MemorySegment.NULL));
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- memory -------------------------------------------------------------------------------------------------------

    public long malloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ptr = arena.allocate(JAVA_LONG);
            check("cuMemAlloc(" + bytes + " bytes)", (int) cuMemAlloc.invokeExact(ptr, bytes));
            return ptr.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void free(long devicePointer) {
        try { check("cuMemFree", (int) cuMemFree.invokeExact(devicePointer)); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Page-locked host memory, so that copies run at full bus speed and can be asynchronous. */
    public MemorySegment mallocHost(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ptr = arena.allocate(ADDRESS);
            check("cuMemAllocHost(" + bytes + " bytes)", (int) cuMemAllocHost.invokeExact(ptr, bytes));
            return ptr.get(ADDRESS, 0).reinterpret(bytes);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void freeHost(MemorySegment host) {
        try { check("cuMemFreeHost", (int) cuMemFreeHost.invokeExact(host)); } catch (Throwable t) { throw rethrow(t); }
    }

    public void copyToDevice(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try { check("cuMemcpyHtoDAsync", (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    public void copyToHost(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try { check("cuMemcpyDtoHAsync", (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    public void copyOnDevice(long dst, long src, long bytes, MemorySegment stream) {
        try { check("cuMemcpyDtoDAsync", (int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    public void fill32(long dst, int bits, long count, MemorySegment stream) {
        try { check("cuMemsetD32Async", (int) cuMemsetD32Async.invokeExact(dst, bits, count, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    // ---- streams and events ---------------------------------------------------------------------------------------------

    public MemorySegment createStream() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ADDRESS);
            check("cuStreamCreate", (int) cuStreamCreate.invokeExact(s, 1 /* CU_STREAM_NON_BLOCKING */));
            return s.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void synchronize(MemorySegment stream) {
        try { check("cuStreamSynchronize", (int) cuStreamSynchronize.invokeExact(stream)); } catch (Throwable t) { throw rethrow(t); }
    }

    public void destroyStream(MemorySegment stream) {
        try { check("cuStreamDestroy", (int) cuStreamDestroy.invokeExact(stream)); } catch (Throwable t) { throw rethrow(t); }
    }

    public MemorySegment createEvent() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment e = arena.allocate(ADDRESS);
            check("cuEventCreate", (int) cuEventCreate.invokeExact(e, 0));
            return e.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void record(MemorySegment event, MemorySegment stream) {
        try { check("cuEventRecord", (int) cuEventRecord.invokeExact(event, stream)); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Milliseconds between two recorded events, after waiting for the second. */
    public float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena arena = Arena.ofConfined()) {
            check("cuEventSynchronize", (int) cuEventSynchronize.invokeExact(end));
            MemorySegment ms = arena.allocate(JAVA_INT);
            check("cuEventElapsedTime", (int) cuEventElapsedTime.invokeExact(ms, start, end));
            return Float.intBitsToFloat(ms.get(JAVA_INT, 0));
        } catch (Throwable t) { throw rethrow(t); }
    }

    public void destroyEvent(MemorySegment event) {
        try { check("cuEventDestroy", (int) cuEventDestroy.invokeExact(event)); } catch (Throwable t) { throw rethrow(t); }
    }

    String libraryName() {
        return lib.name();
    }
}
