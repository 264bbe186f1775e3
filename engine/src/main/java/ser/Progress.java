package ser;

/** A counter of finished work items that the caller can show (a progress bar) or ignore. */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void step() {}

        @Override
        public void finish() {}
    };

    /** One item done; may be called from several threads. */
    void step();

    void finish();

    /** Makes a counter of {@code total} items called {@code what}. */
    interface Factory {
        Factory NONE = (what, total) -> Progress.NONE;

        Progress start(String what, long total);
    }
}
