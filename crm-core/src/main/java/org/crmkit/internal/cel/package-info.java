/**
 * Internal: the one CEL layer of CRMKit (environment and runtime, type table, value conversion, cost budget), used
 * by formulas and record rules here and by workflow conditions in crm-workflow, the one package of crm-core's
 * internals another module may use. Not API.
 */
@NullMarked
package org.crmkit.internal.cel;

import org.jspecify.annotations.NullMarked;
