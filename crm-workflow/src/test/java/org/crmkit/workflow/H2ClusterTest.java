package org.crmkit.workflow;

import java.nio.file.Path;

class H2ClusterTest extends ClusterContract {
    private final String url = "jdbc:h2:file:" + Path.of("target", "h2-cluster", "db" + System.nanoTime())
            .toAbsolutePath() + ";LOCK_TIMEOUT=10000";

    @Override
    protected String url() {
        return url;
    }

    @Override
    protected String prefix() {
        return "";
    }
}
