/**
 * Who may read the details of the plugin's operations endpoints (health checks, metrics): loopback or configured
 * addresses, or a bearer token; everyone else gets the bare status. One rule for the storefront and the admin
 * ({@code crOperationsAccess}).
 */
package io.github.cartrecovery.operations;
