/**
 * The plug-in SPI: what an engine that runs beside a {@code Crm} and joins its transactions implements
 * ({@link org.crmkit.plugin.spi.EnginePlugin}), and the hooks the engine offers it.
 */
@NullMarked
package org.crmkit.plugin.spi;

import org.jspecify.annotations.NullMarked;
