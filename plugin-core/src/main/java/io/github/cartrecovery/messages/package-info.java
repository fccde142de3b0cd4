/**
 * The owner of CR_PLANNED_MESSAGE's lifecycle and of CR_MESSAGE_EVENT: every write to those tables goes through this
 * package, with {@link io.github.cartrecovery.messages.MessageEventType} bound as a parameter. Depends on no other
 * plugin package but {@code metrics} (it counts the transitions), so planning, delivery, tracking, coupons, consent, attribution and privacy can all use it.
 */
package io.github.cartrecovery.messages;
