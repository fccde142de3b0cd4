package io.github.cartrecovery.admin.personaldata;

import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.type.PermissionType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import io.github.cartrecovery.personaldata.PersonalData;

/**
 * Whether the admin user of the current request may see shoppers' personal data unmasked: true only when one of
 * their roles (or the user directly) holds PERMISSION_CARTRECOVERY_PERSONAL_DATA, seeded by
 * {@code 1.1/019-admin-personal-data.xml} and granted to no role by default. Asked the way Broadleaf asks for
 * its own entity permissions (the persistent user, a READ permission qualified on a ceiling entity, here
 * {@link PersonalData}), so a grant or revocation in the admin's Roles screen counts from the next request.
 * The answer is kept for the rest of the request (per user name: a request attribute, whatever lives longer).
 */
public class PersonalDataPermission {

    public static final String NAME = "PERMISSION_CARTRECOVERY_PERSONAL_DATA";
    static final String CEILING_ENTITY = PersonalData.class.getName();
    private static final String REQUEST_ATTRIBUTE = PersonalDataPermission.class.getName() + ".heldBy.";

    private final SecurityVerifier currentUser;
    private final AdminSecurityService security;

    public PersonalDataPermission(SecurityVerifier currentUser, AdminSecurityService security) {
        this.currentUser = currentUser;
        this.security = security;
    }

    /** True when the logged-in admin user may see personal data unmasked; false for nobody logged in. */
    public boolean heldByCurrentUser() {
        Authentication login = SecurityContextHolder.getContext().getAuthentication();
        if (login == null) {
            return false;
        }
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        String remembered = REQUEST_ATTRIBUTE + login.getName();
        Object known = request == null ? null : request.getAttribute(remembered, RequestAttributes.SCOPE_REQUEST);
        if (known instanceof Boolean) {
            return (Boolean) known;
        }
        AdminUser user = currentUser.getPersistentAdminUser();
        boolean held = user != null && security.isUserQualifiedForOperationOnCeilingEntity(user, PermissionType.READ, CEILING_ENTITY);
        if (request != null) {
            request.setAttribute(remembered, held, RequestAttributes.SCOPE_REQUEST);
        }
        return held;
    }
}
