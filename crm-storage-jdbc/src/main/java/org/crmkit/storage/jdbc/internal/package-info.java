/** Implementation of the JDBC storage: SQL through jOOQ, table layout, DDL, error mapping. Not API. */
@NullMarked
package org.crmkit.storage.jdbc.internal;

import org.jspecify.annotations.NullMarked;
