/**
 * Runs the plugin's recurring work (reconciliation, detection, planning, delivery, attribution, rollups,
 * clean-ups) on Quartz's clustered JDBC store (CR_QRTZ_* tables) in Broadleaf's database, one node at a time per
 * job unless a job runs on every node. Each run is logged in CR_JOB_RUN; time comes from the injected clock.
 */
package io.github.cartrecovery.scheduling;
