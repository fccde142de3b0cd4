/**
 * Broadleaf admin integration of the personal-data permission: a field persistence provider that masks {@code
 * @PersonalData} fields on the generic screens for users without {@code PERMISSION_CARTRECOVERY_PERSONAL_DATA},
 * and never writes a masked value back.
 */
package io.github.cartrecovery.admin.personaldata;
