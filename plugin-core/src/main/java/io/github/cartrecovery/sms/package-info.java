/**
 * The SMS channel: short texts with a short signed restore link through a Twilio-compatible provider, only to
 * numbers captured with SMS consent, never in quiet hours and never to numbers on the opt-out list. It also
 * answers the provider's signed webhooks (STOP, START, HELP and delivery status) and owns CR_SMS_OPT_OUT ({@link
 * io.github.cartrecovery.sms.SmsOptOuts}).
 */
package io.github.cartrecovery.sms;
