package io.github.cartrecovery.personaldata;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an entity field that holds a shopper's personal data (or free text that may contain some). Broadleaf's
 * generic admin screens show such a field masked ({@link PersonalDataMask#mask}) to an admin user without the
 * permission PERMISSION_CARTRECOVERY_PERSONAL_DATA, and never write the masked value back over the stored one.
 * <p>
 * The annotation's name is also the ceiling entity that permission is qualified on (Broadleaf's permission
 * model checks a user's permissions per ceiling entity), in {@code 1.1/019-admin-personal-data.xml}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface PersonalData {

    /** How the value is masked. */
    Kind value();

    /** What a field holds. */
    enum Kind {
        EMAIL, IP, USER_AGENT, NAME,
        /** A phone number: + and country code, then the last two digits. */
        PHONE,
        /** Free text that may contain addresses (an SMTP reply, an event's detail). */
        TEXT
    }
}
