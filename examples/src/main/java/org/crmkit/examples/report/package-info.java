/**
 * A report as a chart: the open pipeline by stage, run as a sales rep, exported as CSV and drawn as a PNG bar chart.
 */
@NullMarked
package org.crmkit.examples.report;

import org.jspecify.annotations.NullMarked;
