package ser.cli;

import ser.SerException;
import ser.tensor.Backends;
import ser.tensor.Devices;
import ser.tensor.Parallel;

/**
 * {@code --device}, as every command that computes reads it: the help texts, the check of a spec in the option's
 * name, and the opening of the backend for the commands that run HuBERT themselves ({@code embed},
 * {@code features}, {@code serve}'s /v1/embed). Jobs that read a recipe ({@code train}, {@code evaluate},
 * {@code predict}, {@code serve}'s model) hand the spec to the library, which falls back on the recipe's
 * {@code device:}. Notices (where {@code auto} found no GPU, what stays on the CPU) are one line on stderr each.
 */
final class DeviceOptions {

    static final String NAME = "--device";
    static final String LABEL = "SPEC";

    /** For commands that run HuBERT themselves. */
    static final String HELP = "What HuBERT runs on: " + Devices.SPECS + ". auto uses the GPU when one can run here, "
            + "else the CPU (with a notice); cuda stops with the reason when it cannot. Default: cpu.";

    /** For commands that run a trained model (a run directory). */
    static final String RUN_HELP = "What the model (its HuBERT encoder and its network) runs on: " + Devices.SPECS
            + ". auto uses the GPU when one can run here, else the CPU (with a notice); cuda stops with the reason when "
            + "it cannot. Log-Mel features run on the CPU in this version. Default: the recipe's device: "
            + "(config.yaml), else cpu.";

    private DeviceOptions() {}

    /** The spec as given, checked, or null when the option is absent. */
    static String checked(String spec) {
        if (spec == null) return null;
        try {
            Devices.Spec.parse(spec);
        } catch (SerException e) {
            throw new SerException(NAME + ": " + e.getMessage(), e);
        }
        return spec;
    }

    /** The backend of {@code spec} (cpu when null); a device that cannot run here stops the command with the reason. */
    static Backends.Backend open(String spec) {
        return Devices.open(spec == null ? "cpu" : checked(spec), Parallel.shared(), DeviceOptions::notice);
    }

    /** {@code what} runs on the CPU in this version, said once when the backend opened is a device. */
    static void cpuOnly(Backends.Backend backend, String what) {
        if (!backend.onCpu()) notice(what + " run on the CPU in this version (only HuBERT runs on " + backend.name() + ")");
    }

    static void notice(String line) {
        Main.err().println("ser: " + line);
    }
}
