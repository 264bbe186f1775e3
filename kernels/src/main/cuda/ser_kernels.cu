// ser CUDA kernels: everything CudaOps runs that cuBLAS does not do.
//
// One kernel (or one small family) per file, as llm.c's dev/cuda keeps them; this file is the one translation unit
// nvcc builds into ser_kernels.fatbin (kernels/build-fatbin.sh), so the module and the kernel names stay as they were.
// Each kernel has a plain CPU reference in ser.cuda.KernelReference (kernels/src/test: same names, same argument
// order); KernelChecks compares the two on a GPU. All tensors are row-major; float32 unless the name says bf16.
// Kernels are extern "C" so the driver API finds them by their plain names.

#include "common.cuh"

// feature encoder
#include "conv1d_first.cu"
#include "conv1d_first_norm_gelu.cu"
#include "group_norm_gelu.cu"
#include "im2col_1d.cu"

// element-wise
#include "elementwise.cu"
#include "strided_map.cu"

// row-wise: reductions, softmax, argmax, layer norm
#include "row_ops.cu"

// sequences: padding masks, signal windows
#include "sequence_ops.cu"

// normalisation
#include "layer_norm.cu"

// attention
#include "softmax_masked.cu"
#include "permute_heads.cu"

// positional convolution
#include "pos_conv_gelu.cu"
#include "pos_conv_im2col.cu"

// layout
#include "transpose_tiles.cu"

// pooling and masking
#include "mean_pool_masked.cu"
#include "zero_padded_frames.cu"
