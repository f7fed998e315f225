package org.crmkit.spring;

import org.crmkit.CrmBuilder;

/**
 * A bean that adds to the {@code Crm} the starter builds, after the storage, search and workflow are set: keys,
 * a clock, plug-ins, record cache size. Every such bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface CrmBuilderCustomizer {
    void customize(CrmBuilder builder);
}
