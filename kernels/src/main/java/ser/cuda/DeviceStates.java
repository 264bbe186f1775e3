package ser.cuda;

import ser.hubert.HubertOutput;
import ser.tensor.Tensor;

/**
 * Every hidden state of a pass, still on the device: [states, batch, frames, dim] at {@code pointer}, valid
 * until the model's next pass or its close.
 */
public record DeviceStates(Cuda.Device dev, long pointer, int states, int batch, int frames, int dim, int[] clipFrames) {

    /** The states copied to the heap, as the CPU engine returns them. */
    public HubertOutput download() {
        int count = Math.toIntExact((long) states * batch * frames * dim);
        return new HubertOutput(Tensor.wrap(Transfers.download(dev, pointer, count), states, batch, frames, dim),
                clipFrames.clone());
    }
}
