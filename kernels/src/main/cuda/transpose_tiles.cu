// ser kernel, layout: batched transpose through shared-memory tiles.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// x [batch, rows, cols] -> y [batch, cols, rows] through 32 x 32 tiles in shared memory, so that both the reads and
// the writes are coalesced (the first conv's channel-major output made time-major). 256 threads a block, one tile
// a block: blockIdx.x runs over the tiles of one matrix, blockIdx.y over the batch.
SER_KERNEL void transpose_tiles(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
    __shared__ float tile[32][33];
    int tilesX = (cols + 31) / 32;
    int c0 = (blockIdx.x % tilesX) * 32, r0 = (blockIdx.x / tilesX) * 32;
    const float* xb = x + (long) blockIdx.y * rows * cols;
    float* yb = y + (long) blockIdx.y * rows * cols;
    int tx = threadIdx.x & 31, ty = threadIdx.x >> 5;
    for (int j = ty; j < 32; j += 8) {
        int r = r0 + j, c = c0 + tx;
        if (r < rows && c < cols) tile[j][tx] = xb[(long) r * cols + c];
    }
    __syncthreads();
    for (int j = ty; j < 32; j += 8) {
        int c = c0 + j, r = r0 + tx;
        if (r < rows && c < cols) yb[(long) c * rows + r] = tile[tx][j];
    }
}
