/**
 * Running the plugin unattended: the health checks ({@code Health}: scheduler, mail server, backlog, capture,
 * database) behind {@code /cart-recovery/health} and the admin's Operations page, the alerts that open and close one
 * incident per problem for the whole cluster ({@code Incidents}, notices by email and webhook), and who may read the
 * endpoints' details ({@code OperationsAccess}: configured addresses or a bearer token).
 */
package io.github.cartrecovery.operations;
