/**
 * The marker and the mask for shoppers' personal data: fields annotated {@link
 * io.github.cartrecovery.personaldata.PersonalData} are shown masked in the admin to users without the
 * personal-data permission, and {@link io.github.cartrecovery.personaldata.PersonalDataMask} is the one way
 * addresses, names, numbers and IPs are masked there and in the logs.
 */
package io.github.cartrecovery.personaldata;
