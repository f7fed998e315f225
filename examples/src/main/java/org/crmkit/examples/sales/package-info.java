/** The sales process end to end: lead conversion, duplicate checks and a scan, a merge, a roll-up timeline. */
package org.crmkit.examples.sales;
