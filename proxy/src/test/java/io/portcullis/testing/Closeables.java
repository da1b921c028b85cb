package io.portcullis.testing;

/** Test teardown: closes what a test class started, in order, skipping what never started. */
public final class Closeables {
    private Closeables() {}

    /**
     * Closes every non-null resource, even when an earlier one fails (so one failure does not leave servers
     * running), then reports the first failure.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + resource + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
