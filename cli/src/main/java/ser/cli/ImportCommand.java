package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ser.SerException;
import ser.job.ImportJob;
import ser.run.RunDirectory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ser import}: a PyTorch state dict of the seed's model → a run directory. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Turns a torch.save(model.state_dict()) file of the seed's MelCNN (keys conv1, bn1, ..., fc) into a "
                        + "run directory that 'ser predict' and 'ser evaluate' accept, with the same logits as "
                        + "PyTorch on the same audio. The file is read without executing anything in it.",
                "The model file names the layers as the PyTorch module does; the recipe (--config) says what "
                        + "features it expects (default: the seed's, 3 s of 128-band log-Mel in dB)."},
        footerHeading = "%nExamples:%n",
        footer = {"  ser import model.pt --model config/models/mel-cnn-seed.yaml --labels NEU,HAP,SAD,ANG --out runs/seed-torch", ExitCodes.FOOTER})
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.pt", description = "The PyTorch checkpoint (a state dict).")
    Path checkpoint;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The architecture (YAML), e.g. config/models/mel-cnn-seed.yaml.")
    Path model;

    @Option(names = "--labels", required = true, split = ",", paramLabel = "A,B,...",
            description = "The class names in the model's output order, e.g. NEU,HAP,SAD,ANG.")
    List<String> labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The run directory to create.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "The recipe whose features the model expects. Default: train-mel-seed.yaml.")
    Path config;

    @Override
    public Integer call() {
        RunDirectory run;
        try {
            run = new ImportJob(checkpoint, Inputs.existingFile(model), labels, out, config).run();
        } catch (RunDirectory.HoldsRun e) {
            throw SerException.inFile(e.dir(), "already holds a run; choose another --out");
        }
        System.out.println("imported " + checkpoint + " into " + run.root() + " (labels " + labels + ")");
        System.out.println("try: ser predict --run " + run.root() + " some.wav");
        return 0;
    }
}
