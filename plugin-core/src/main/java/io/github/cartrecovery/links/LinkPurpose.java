package io.github.cartrecovery.links;

/**
 * What a signed link may be used for. A token signed for one purpose never verifies for another, so an
 * open-pixel token cannot unsubscribe and an unsubscribe token cannot restore a cart.
 */
public enum LinkPurpose {
    RESTORE((byte) 'r'),
    UNSUBSCRIBE((byte) 'u'),
    OPEN((byte) 'o'),
    CLICK((byte) 'c');

    private final byte code;

    LinkPurpose(byte code) {
        this.code = code;
    }

    byte code() {
        return code;
    }
}
