package io.github.cartrecovery.capture;

/** Where a cart was created: by a shopper on the storefront, or by staff in the Broadleaf admin. */
public enum CartOrigin {
    STOREFRONT,
    ADMIN
}
