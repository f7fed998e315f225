/** vCards with ez-vcard: cards read as contacts and contacts written as cards (no ez-vcard type leaves here). */
@NullMarked
package org.crmkit.internal.vcard;

import org.jspecify.annotations.NullMarked;
