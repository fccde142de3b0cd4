package io.github.cartrecovery.admin.personaldata;

import java.io.Serializable;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.broadleafcommerce.openadmin.dto.Property;
import org.broadleafcommerce.openadmin.server.service.persistence.PersistenceException;
import org.broadleafcommerce.openadmin.server.service.persistence.module.FieldNotAvailableException;
import org.broadleafcommerce.openadmin.server.service.persistence.module.provider.FieldPersistenceProviderAdapter;
import org.broadleafcommerce.openadmin.server.service.persistence.module.provider.request.ExtractValueRequest;
import org.broadleafcommerce.openadmin.server.service.persistence.module.provider.request.PopulateValueRequest;
import org.broadleafcommerce.openadmin.server.service.type.FieldProviderResponse;

import io.github.cartrecovery.personaldata.PersonalData;
import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * Masks the {@link PersonalData} fields of the plugin's entities in Broadleaf's generic admin screens (lists,
 * forms, lookups: every fetch goes through {@code BasicPersistenceModule}'s providers) for an admin user without
 * {@link PersonalDataPermission}. It runs before Broadleaf's own providers. On save it keeps the stored value when
 * the form sends back the masked one it was shown (an operator may still edit other fields of the row, or type a
 * new value). Fields of any entity count, so a store's own entities can use the annotation too.
 */
public class PersonalDataFieldPersistenceProvider extends FieldPersistenceProviderAdapter {

    /** Before Broadleaf's providers (HTML, money, map, media, basic: 20000 and up). */
    static final int ORDER = 1000;

    private final PersonalDataPermission permission;
    /** Class and field name -> the field's annotation, empty when the field is not personal data. */
    private final ConcurrentMap<String, Optional<PersonalData>> fields = new ConcurrentHashMap<String, Optional<PersonalData>>();

    public PersonalDataFieldPersistenceProvider(PersonalDataPermission permission) {
        this.permission = permission;
    }

    @Override
    public FieldProviderResponse extractValue(ExtractValueRequest request, Property property) {
        PersonalData personal = personalData(request.getEntity(), property.getName());
        if (personal == null || permission.heldByCurrentUser()) {
            return FieldProviderResponse.NOT_HANDLED;
        }
        Object value = request.getRequestedValue();
        String masked = value == null ? null : PersonalDataMask.mask(personal.value(), value.toString());
        property.setValue(masked);
        property.setDisplayValue(masked);
        return FieldProviderResponse.HANDLED_BREAK;
    }

    @Override
    public FieldProviderResponse populateValue(PopulateValueRequest request, Serializable instance) {
        String name = request.getProperty().getName();
        PersonalData personal = personalData(instance, name);
        if (personal == null || permission.heldByCurrentUser()) {
            return FieldProviderResponse.NOT_HANDLED;
        }
        Object stored;
        try {
            stored = request.getFieldManager().getFieldValue(instance, name);
        } catch (FieldNotAvailableException | IllegalAccessException e) {
            throw new PersistenceException("Cart Recovery: cannot read field " + name + " of " + instance.getClass().getName(), e);
        }
        if (stored != null && request.getRequestedValue().equals(PersonalDataMask.mask(personal.value(), stored.toString()))) {
            request.getProperty().setIsDirty(false);
            return FieldProviderResponse.HANDLED_BREAK;
        }
        return FieldProviderResponse.NOT_HANDLED;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** The field's annotation, looked up once per class and name (Hibernate proxies are subclasses: walk up). */
    private PersonalData personalData(Object entity, String property) {
        if (entity == null || property == null || property.indexOf('.') >= 0) {
            return null;
        }
        String key = entity.getClass().getName() + '#' + property;
        Optional<PersonalData> known = fields.get(key);
        if (known == null) {
            known = Optional.empty();
            for (Class<?> type = entity.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                try {
                    known = Optional.ofNullable(type.getDeclaredField(property).getAnnotation(PersonalData.class));
                    break;
                } catch (NoSuchFieldException e) {
                    // declared higher up
                }
            }
            fields.putIfAbsent(key, known);
        }
        return known.orElse(null);
    }
}
