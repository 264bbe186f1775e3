package ser.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device time per stage of a forward pass: an event recorded on the stream at the start and after each stage,
 * the time between consecutive events booked to the stage that ended. Events are made once and reused; the
 * recording itself adds a little time, so profiled passes are run apart from timed ones.
 */
public final class StageTimer implements StageMarks, AutoCloseable {

    private final Cuda.Device dev;
    private final List<MemorySegment> events = new ArrayList<>();
    private final List<String> stages = new ArrayList<>();
    private int used;

    public StageTimer(Cuda.Device dev) {
        this.dev = dev;
    }

    /** Forgets the last pass's marks and records the start. */
    @Override
    public void start() {
        used = 0;
        stages.clear();
        record();
    }

    /** The stage that has just been queued ends here. */
    @Override
    public void mark(String stage) {
        stages.add(stage);
        record();
    }

    private void record() {
        if (used == events.size()) events.add(dev.driver().createEvent());
        dev.driver().record(events.get(used++), dev.stream());
    }

    /** Milliseconds per stage, summed over its occurrences (every layer), in first-seen order. */
    public Map<String, Double> millis() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            double ms = dev.driver().elapsedMillis(events.get(i), events.get(i + 1));
            out.merge(stages.get(i), ms, Double::sum);
        }
        return out;
    }

    @Override
    public void close() {
        for (MemorySegment e : events) dev.driver().destroyEvent(e);
        events.clear();
    }
}
