/**
 * CRMKit in Spring Boot: {@link org.crmkit.spring.CrmKitAutoConfiguration} (a {@code Crm} bean from
 * {@code crmkit.*} properties), {@link org.crmkit.spring.SpringHostTransactions} (CRMKit's writes inside Spring's
 * transactions) and {@link org.crmkit.spring.CrmBuilderCustomizer}.
 */
@NullMarked
package org.crmkit.spring;

import org.jspecify.annotations.NullMarked;
