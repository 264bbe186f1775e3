// ser CUDA kernels: everything CudaOps runs that cuBLAS does not do.
//
// One kernel (or one small family) per file, as llm.c's dev/cuda keeps them; this file is the one translation unit
// nvcc builds into ser_kernels.fatbin (kernels/build-fatbin.sh), so there is one module and the kernel names stay
// plain. Each kernel has a Java twin in ser.cuda.HostGpu (kernels/src/test: one method a kernel, same argument
// order), its reference: CudaOps runs on HostGpu in the tests without a GPU, and on a GPU the same suites
// (OpsParityTest, HubertBackendsTest, GpuCheck's ops section) hold the kernels to the CPU engine. All tensors are
// row-major; float32 unless the name says bf16. Kernels are extern "C" so the driver API finds them by their names.

#include "common.cuh"

// element-wise over any strided, broadcast views
#include "strided_map.cu"

// fp32 -> bf16 (GEMM operands in bf16 precision)
#include "elementwise.cu"

// row-wise: reductions, softmax, argmax, layer norm
#include "row_ops.cu"

// sequences: padding masks, signal windows
#include "sequence_ops.cu"

// training: activation gradients, gated mix, time and layer pooling
#include "training_pointwise.cu"

// training: cross-entropy
#include "loss.cu"

// training: Adam, SGD, sum of squares
#include "optim.cu"

// training layers: convolution columns, batch norm, max pooling
#include "conv.cu"
#include "batch_norm.cu"
#include "pooling.cu"
