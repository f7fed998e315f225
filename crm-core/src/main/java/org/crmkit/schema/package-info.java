/** The metadata engine: object types, fields, record rules and pipelines, changed at run time. */
@NullMarked
package org.crmkit.schema;

import org.jspecify.annotations.NullMarked;
