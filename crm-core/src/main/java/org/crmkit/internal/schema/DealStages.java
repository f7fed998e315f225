package org.crmkit.internal.schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.record.Record;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;
import org.jspecify.annotations.Nullable;

/** Deal pipeline rules: the stage belongs to the pipeline; entering a stage sets its probability. */
final class DealStages implements RecordHook {
    @Override
    public void beforeChecks(SchemaSnapshot schema, @Nullable Record before, Map<String, Object> values,
            Set<String> given, List<FieldError> errors) {
        Object pipelineName = values.get("pipeline");
        Object stageName = values.get("stage");
        if (pipelineName == null || stageName == null) {
            return;
        }
        Pipeline pipeline = schema.findPipeline((String) pipelineName).orElse(null);
        if (pipeline == null) {
            errors.add(new FieldError("pipeline", FieldErrorCode.UNKNOWN_OPTION, "no pipeline '" + pipelineName + "'"));
            return;
        }
        Stage stage = pipeline.stage((String) stageName).orElse(null);
        if (stage == null) {
            errors.add(new FieldError("stage", FieldErrorCode.INVALID_STAGE, "'" + stageName
                    + "' is not a stage of pipeline " + pipeline.name()));
            return;
        }
        boolean entered = before == null || !stageName.equals(before.get("stage"));
        if (entered && !given.contains("probability")) {
            values.put("probability", BigDecimal.valueOf(stage.probability()).setScale(2));
        }
    }
}
