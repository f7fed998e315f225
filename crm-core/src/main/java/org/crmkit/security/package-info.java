/** Principals, roles, object and field permissions, record scopes. */
@NullMarked
package org.crmkit.security;

import org.jspecify.annotations.NullMarked;
