package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ser.hubert.HubertConfig;
import ser.hubert.convert.HubertConverter;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ser convert IN --out OUT.safetensors [--config FILE]}: see {@link HubertConverter}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a HuBERT or wav2vec 2.0 checkpoint to an engine weights file.",
                "IN: a Hugging Face folder (config.json + model.safetensors or pytorch_model.bin), a lone weights "
                        + "file (HF or torchaudio names), or a fairseq checkpoint."},
        footer = ExitCodes.FOOTER)
public final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "checkpoint folder or file")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "engine weights file to write (.safetensors)")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Hugging Face config.json for a lone weights file (default: config.json beside it, "
                    + "or the released base/large shapes)")
    Path config;

    @Override
    public Integer call() {
        HubertConfig c = HubertConverter.convert(in, out, config);
        Main.err().printf("ser: wrote %s: %d layers × %d, %d heads, %s, feature norm %s, do_normalize %s%n", out,
                c.layers(), c.hidden(), c.heads(), c.layerNormFirst() ? "pre-LN" : "post-LN",
                c.featureNorm().name().toLowerCase(), c.doNormalize());
        return 0;
    }
}
