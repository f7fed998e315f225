package org.crmkit.storage.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import org.crmkit.schema.ForecastCategory;
import org.crmkit.schema.Stage;
import org.crmkit.schema.StageKind;
import org.jspecify.annotations.Nullable;

/**
 * The stored form of a pipeline {@link Stage}: {@code name}, {@code label}, {@code probability}, {@code kind}, and
 * {@code forecastCategory} only when it is not the one the kind and probability give
 * ({@link ForecastCategory#derived}). So stages written before forecast categories existed read with the derived
 * category, and a stage that keeps it is written exactly as then.
 */
final class StoredStages {
    private StoredStages() {}

    /** The properties as read, with databind's checks (text is text, the probability a number, known enums). */
    record Properties(String name, String label, int probability, StageKind kind,
            @Nullable ForecastCategory forecastCategory) {}

    static final class Serializer extends StdSerializer<Stage> {
        private static final long serialVersionUID = 1L;

        Serializer() {
            super(Stage.class);
        }

        @Override
        public void serialize(Stage s, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("label", s.label());
            g.writeNumberField("probability", s.probability());
            g.writeStringField("kind", s.kind().name());
            if (s.forecastCategory() != ForecastCategory.derived(s.kind(), s.probability())) {
                g.writeStringField("forecastCategory", s.forecastCategory().name());
            }
            g.writeEndObject();
        }
    }

    static final class Deserializer extends StdDeserializer<Stage> {
        private static final long serialVersionUID = 1L;

        Deserializer() {
            super(Stage.class);
        }

        @Override
        public Stage deserialize(JsonParser p, DeserializationContext context) throws IOException {
            Properties read = context.readValue(p, Properties.class);
            if (read == null || read.name() == null || read.label() == null || read.kind() == null) {
                return context.reportInputMismatch(Stage.class, "a stage needs a name, a label and a kind");
            }
            Stage stage = new Stage(read.name(), read.label(), read.probability(), read.kind());
            return read.forecastCategory() == null ? stage : stage.withForecastCategory(read.forecastCategory());
        }
    }
}
