package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ser.SerException;
import ser.api.EmotionRecognizer;
import ser.hubert.Hubert;
import ser.serve.Server;
import ser.tensor.Devices;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ser serve}: the run's model (and HuBERT, with --weights) resident behind HTTP; see docs/serve.md. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Keeps a run's best model in memory and answers HTTP on the JDK's own server, one virtual thread a "
                        + "request:",
                "  POST /v1/classify  WAV or AIFF bytes (raw, or one file part of multipart/form-data) -> the JSON line "
                        + "'ser predict' prints for that file (\"file\" is the part's filename or ?name=)",
                "  POST /v1/embed     the same upload -> HuBERT hidden states averaged over time (needs --weights)",
                "  GET  /healthz      {\"status\": \"ok\", ...}",
                "  GET  /metrics      Prometheus text: requests by route and status, latency and batch-size "
                        + "histograms, requests in flight",
                "Requests from all clients are batched: up to --max-batch at a time, waiting at most --max-wait-ms for "
                        + "more after the first. Refusals are one JSON line {\"error\", \"status\"}: 400 bad audio, "
                        + "404 unknown route, 405 wrong method, 413 too many bytes or seconds, 503 busy (with "
                        + "Retry-After), 504 timed out.",
                "SIGTERM (or Ctrl-C) stops accepting, answers what was accepted, prints one line on stderr and exits."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ser serve --run runs/seed --port 8080",
                "  curl -s --data-binary @clip.wav 'http://127.0.0.1:8080/v1/classify?name=clip.wav'",
                "  curl -s -F file=@clip.wav http://127.0.0.1:8080/v1/classify",
                "  ser serve --run runs/seed --weights hubert-base.safetensors --layers 6,12 --port 8080",
                "  curl -s -F file=@clip.wav http://127.0.0.1:8080/v1/embed",
                ExitCodes.FOOTER})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "The run directory.")
    Path run;

    @Option(names = "--weights", paramLabel = "W", description = "HuBERT engine weights (from 'ser convert') for /v1/embed.")
    Path weights;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|N,M",
            description = "Hidden states /v1/embed averages: all, or indices 0 .. L. Default: ${DEFAULT-VALUE}.")
    String layers;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (loopback only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "Port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-batch", defaultValue = "16", paramLabel = "N", description = "Requests per model batch at most. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5", paramLabel = "MS",
            description = "How long a batch waits for more requests after its first. Default: ${DEFAULT-VALUE}.")
    long maxWaitMs;

    @Option(names = "--max-upload-mb", defaultValue = "50", paramLabel = "MB", description = "Largest request body (413 beyond). Default: ${DEFAULT-VALUE}.")
    double maxUploadMb;

    @Option(names = "--max-seconds", defaultValue = "600", paramLabel = "S", description = "Longest audio (413 beyond). Default: ${DEFAULT-VALUE}.")
    double maxSeconds;

    @Option(names = "--max-pending", defaultValue = "256", paramLabel = "N",
            description = "Requests in progress at once (503 with Retry-After beyond). Default: ${DEFAULT-VALUE}.")
    int maxPending;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "Longest a request may take from arrival to answer (504 beyond). Default: ${DEFAULT-VALUE}.")
    long timeoutMs;

    @Option(names = DeviceOptions.NAME, paramLabel = DeviceOptions.LABEL,
            description = "What the model (its HuBERT encoder and network) and /v1/embed's HuBERT run on: "
                    + Devices.SPECS + ". auto uses the GPU when one can run here, else the CPU (with a notice); cuda "
                    + "stops with the reason when it cannot. Log-Mel features run on the CPU in this version. "
                    + "Default: the run's recipe's device:, else cpu.")
    String device;

    @Override
    public Integer call() throws InterruptedException {
        if (!(maxUploadMb > 0)) throw new SerException("--max-upload-mb must be positive, got " + maxUploadMb);
        Server.Options options = new Server.Options(host, port, maxBatch, maxWaitMs, (long) (maxUploadMb * (1 << 20)),
                maxSeconds, maxPending, timeoutMs);
        EmotionRecognizer recognizer = EmotionRecognizer.open(run, DeviceOptions.checked(device), DeviceOptions::notice);
        Server.Embedding embedding = null;
        if (weights != null) {
            // The device the model opened (auto has been resolved, and said so, already).
            Hubert hubert = Hubert.load(weights, DeviceOptions.open(recognizer.device()));
            embedding = new Server.Embedding(hubert, EmbedCommand.layerIndices(layers, hubert.config().layers()));
        }
        Server server = Server.start(recognizer, embedding, options);
        Thread hook = new Thread(() -> {
            long before = server.metrics().inFlight();
            server.close();
            System.err.printf("ser serve: stopped; %d requests answered, the %d in progress at the signal among them%n",
                    server.answered(), before);
            System.err.flush();
        }, "ser-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.printf("ser serve: listening on http://%s:%d (model %s, labels %s%s, device %s)%n", host, server.port(), run,
                recognizer.labels(), embedding == null ? "" : ", HuBERT " + weights, recognizer.device());
        server.awaitClosed();
        return 0;
    }
}
