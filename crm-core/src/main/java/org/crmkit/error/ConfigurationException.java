package org.crmkit.error;

import java.util.List;

/** {@code Crm.builder().build()} found problems; {@link #problems()} lists all of them. */
public class ConfigurationException extends CrmException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // always a List.copyOf of strings, which serializes
    private final List<String> problems;

    public ConfigurationException(List<String> problems) {
        super(ErrorCode.CONFIGURATION, "invalid CRMKit configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
