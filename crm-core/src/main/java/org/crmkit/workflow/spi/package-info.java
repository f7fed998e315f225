/**
 * The workflow's SPI: what a storage implements to run the workflow engine ({@link org.crmkit.workflow.spi.JobQueue}),
 * offered as an extension of the storage ({@code Storage.extension(JobQueue.class)}) rather than as part of the storage
 * SPI. It lives in {@code crm-core}, not {@code crm-workflow}, because the storages that implement it (the in-memory
 * one in {@code crm-core}, whose queue must commit with its records, and the JDBC one) cannot depend on
 * {@code crm-workflow}, which depends on them.
 */
@NullMarked
package org.crmkit.workflow.spi;

import org.jspecify.annotations.NullMarked;
