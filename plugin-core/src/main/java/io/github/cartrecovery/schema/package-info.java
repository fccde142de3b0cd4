/**
 * Makes sure the plugin's tables exist before anything uses them: Liquibase applies the plugin's changelog at
 * start-up against Broadleaf's {@code blPU} datasource, before Broadleaf's entity manager starts, and Hibernate
 * then validates the plugin's entities against the tables. Also how BLC_ORDER's email column compares on each
 * database, for the rules that look up a shopper's orders by address.
 */
package io.github.cartrecovery.schema;
