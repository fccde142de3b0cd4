/**
 * Host edge for campaigns edited on Broadleaf's generic admin screens: validators that apply the campaign
 * editor's rules there too, so a bad step condition is refused naming its field.
 */
package io.github.cartrecovery.admin.campaign;
