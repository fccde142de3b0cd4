package io.github.cartrecovery.rendering;

/** Where the renderer takes the layout for the email it renders now (fixed, or as the operator set it). */
public interface EmailLayoutSource {

    /** The layout for the next email; cheap (no query per call). */
    EmailLayout current();
}
