/**
 * What the operator sees of the whole story: {@link io.github.cartrecovery.reporting.ReportRollup} rolls events,
 * attributions and abandoned carts into CR_REPORT_DAILY (per store day, campaign, step, channel and currency)
 * exactly once, and {@link io.github.cartrecovery.reporting.RecoveryReports} answers the report and its CSV from
 * those rollups only, cached. Also the scheduler's health as the report page shows it.
 */
package io.github.cartrecovery.reporting;
