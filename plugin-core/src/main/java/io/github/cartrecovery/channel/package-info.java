/**
 * The channel SPI: how the delivery engine reaches a shopper (email, SMS, a webhook, or a store's own channel).
 * <p>
 * A campaign step names a channel ({@code CR_CAMPAIGN_STEP.CHANNEL}); the planner copies it to the planned
 * message ({@code CR_PLANNED_MESSAGE.CHANNEL}). The engine claims, checks exit rules and step conditions, issues
 * coupons and records every outcome; a {@link io.github.cartrecovery.channel.Channel} only says who receives a
 * message, builds its content and hands it over. The engine keeps the same hand-over discipline for every channel:
 * a message is handed over only after its row is committed SENDING, at most a bounded number per node and channel
 * are SENDING at once, and what the channel reports is recorded (or remembered and written at the next batch when
 * the database is away). A store adds a channel by declaring a Spring bean that implements {@code Channel}.
 * <p>
 * This package depends on nothing of the engine, so channels can live anywhere.
 */
package io.github.cartrecovery.channel;
