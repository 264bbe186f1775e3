/**
 * Files in and out: model weights ({@link ser.io.Safetensors}, {@link ser.io.TorchCheckpoint}), JSON
 * ({@link ser.io.Json}) and crash-safe writes ({@link ser.io.AtomicFiles}).
 *
 * <p>Every reader treats its file as hostile: sizes and offsets are checked against the bytes that are there
 * before anything is allocated or read, and every problem is a one-line {@link ser.SerException} that names
 * the file (and the tensor, where there is one).
 */
package ser.io;
