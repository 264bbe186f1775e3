package ser.tensor;

import java.util.List;

/**
 * A device provider that never opens (registered in the test resources' META-INF/services): the path of a device
 * whose driver or GPU is missing, on any machine. {@link Backends} leaves it out; {@link Devices} gives its reason.
 */
public final class AbsentDevice implements DeviceProvider {

    public static final String NAME = "absent", REASON = "no such device here (a test provider)";

    @Override public String name() { return NAME; }

    @Override public List<String> precisions() { return List.of("fp32", "tf32", "bf16"); }

    @Override public Ops open(String precision) {
        throw new IllegalStateException(REASON + "\n\tat a stack trace line that must not reach the message");
    }
}
