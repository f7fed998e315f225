/**
 * Storage on a relational database: {@link org.crmkit.storage.jdbc.JdbcStorage} on H2 (the embedded default),
 * PostgreSQL or MariaDB/MySQL. One typed table per object type, kept in step with the schema by DDL at run time.
 */
@NullMarked
package org.crmkit.storage.jdbc;

import org.jspecify.annotations.NullMarked;
