/**
 * What differs between the databases the plugin runs on, in one place: which database it is ({@link
 * io.github.cartrecovery.database.Database}), which failures mean "try again" ({@link
 * io.github.cartrecovery.database.SqlFailures}), and the Hibernate dialect of Broadleaf's persistence unit. Depends
 * on nothing else of the plugin.
 */
package io.github.cartrecovery.database;
