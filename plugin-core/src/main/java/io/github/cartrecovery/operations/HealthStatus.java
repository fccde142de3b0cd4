package io.github.cartrecovery.operations;

/** A health check's verdict, and the endpoint's: UP answers HTTP 200, DOWN 503. */
public enum HealthStatus {
    UP, DOWN
}
