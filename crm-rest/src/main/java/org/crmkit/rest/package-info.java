/** The CRM over HTTP: {@link org.crmkit.rest.CrmRest}. */
@NullMarked
package org.crmkit.rest;

import org.jspecify.annotations.NullMarked;
