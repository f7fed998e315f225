/** The implementation of crm-rest: routes, JSON, problems, tokens, limits. Not API. */
@NullMarked
package org.crmkit.rest.internal;

import org.jspecify.annotations.NullMarked;
