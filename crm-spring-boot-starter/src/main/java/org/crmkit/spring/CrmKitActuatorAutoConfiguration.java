package org.crmkit.spring;

import org.crmkit.Crm;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the actuator sees of the {@code Crm} bean: the {@code crmkit} health indicator when Spring Boot's health module
 * is on the class path, and CRMKit's meters when {@code crm-micrometer} is. After {@link CrmKitAutoConfiguration}, so
 * that the {@code Crm} bean it makes is known here.
 */
@AutoConfiguration(after = CrmKitAutoConfiguration.class)
@ConditionalOnBean(Crm.class)
public class CrmKitActuatorAutoConfiguration {
    /** The actuator's {@code crmkit} health indicator, when Spring Boot's health module is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthConfiguration {
        /** CRMKit's health check with the default bounds ({@code HealthBounds.defaults()}). */
        @Bean
        @ConditionalOnMissingBean(name = "crmkitHealthIndicator")
        CrmKitHealthIndicator crmkitHealthIndicator(Crm crm) {
            return new CrmKitHealthIndicator(crm, org.crmkit.health.HealthBounds.defaults());
        }
    }

    /**
     * CRMKit's meters ({@code crm-micrometer}'s {@code CrmMetrics}), when it is on the class path: Spring Boot binds
     * every {@code MeterBinder} bean to the application's registry.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.crmkit.micrometer.CrmMetrics")
    static class MetricsConfiguration {
        /** Operation timers, cache, index, pool and health meters of the {@code Crm}; closing unbinds them. */
        @Bean
        @ConditionalOnMissingBean
        org.crmkit.micrometer.CrmMetrics crmMetrics(Crm crm) {
            return new org.crmkit.micrometer.CrmMetrics(crm);
        }
    }
}
