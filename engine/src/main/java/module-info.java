/**
 * The ser engine: a library with a front door. Exported to everyone: {@link ser.api} (open a run, classify audio),
 * the error type and progress callbacks of {@code ser}, and the building blocks that stand on their own (audio
 * decoding and resampling, log-Mel, prosody, HuBERT and its checkpoint converter, tensors, the file formats).
 * Training, evaluation, data and the jobs behind the commands are exported only to the modules built on them.
 */
module ser.engine {
    requires transitive jdk.incubator.vector;   // ser.tensor.VectorSums takes FloatVectors
    requires transitive java.desktop;  // PNG plots: java.awt.image, javax.imageio (SpectrogramPng hands out a BufferedImage)
    requires org.yaml.snakeyaml;

    exports ser;
    exports ser.api;
    exports ser.audio;
    exports ser.dsp;
    exports ser.prosody;
    exports ser.hubert;
    exports ser.hubert.convert;
    exports ser.io;
    exports ser.tensor;

    exports ser.config to ser.cli;
    exports ser.data to ser.cli;
    exports ser.demo to ser.cli;
    exports ser.eval to ser.cli;
    exports ser.features to ser.cli;
    exports ser.job to ser.cli;
    exports ser.run to ser.cli;
    exports ser.synth to ser.cli;
    exports ser.train to ser.cli;
    exports ser.autograd.kernels to ser.kernels;    // TrainingOps: the CUDA backend implements it
    exports ser.autograd.reference to ser.kernels;  // ConvShape, in TrainingOps's signatures

    uses ser.tensor.Ops;              // ser.tensor.Backends: test backends
    uses ser.tensor.DeviceProvider;   // ser.tensor.Devices: the CUDA backend (ser.kernels) provides one
}
