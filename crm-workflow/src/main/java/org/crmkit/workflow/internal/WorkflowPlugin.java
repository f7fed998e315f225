package org.crmkit.workflow.internal;

import java.util.Objects;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.plugin.spi.EnginePlugin;

/** The engine plug-in SPI on a {@link WorkflowEngine}: what the public {@code Workflow} handle installs into a Crm. */
public final class WorkflowPlugin implements EnginePlugin {
    private final WorkflowEngine engine;

    public WorkflowPlugin(WorkflowEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "workflow";
    }

    @Override
    public void start(EngineContext context) {
        Objects.requireNonNull(context, "context");
        engine.start(context);
    }

    @Override
    public void close() {
        engine.close();
    }
}
