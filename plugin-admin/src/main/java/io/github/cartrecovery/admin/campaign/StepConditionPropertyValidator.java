package io.github.cartrecovery.admin.campaign;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.broadleafcommerce.openadmin.dto.BasicFieldMetadata;
import org.broadleafcommerce.openadmin.dto.Entity;
import org.broadleafcommerce.openadmin.dto.FieldMetadata;
import org.broadleafcommerce.openadmin.dto.Property;
import org.broadleafcommerce.openadmin.server.service.persistence.validation.PropertyValidationResult;
import org.broadleafcommerce.openadmin.server.service.persistence.validation.PropertyValidator;

import io.github.cartrecovery.campaign.StepCondition;

/**
 * Host edge: checks a step condition saved on Broadleaf's generic screens (the "Send-time Conditions" collection of a
 * campaign step) with the same rules the campaign editor's validator applies ({@link StepCondition#problems()}), so a
 * total without a currency or an unknown segment is refused there too, naming the field. Broadleaf instantiates it by
 * class name (StepCondition's {@code validationConfigurations} on its type). Stateless.
 */
public class StepConditionPropertyValidator implements PropertyValidator {

    @Override
    public PropertyValidationResult validate(Entity entity, Serializable instance, Map<String, FieldMetadata> entityFieldMetadata,
                                             Map<String, String> validationConfiguration, BasicFieldMetadata propertyMetadata,
                                             String propertyName, String value) {
        List<String> problems = problems(value, text(entity, "currencyCode"), text(entity, "numberValue"),
                text(entity, "textValue"));
        PropertyValidationResult result = new PropertyValidationResult(problems.isEmpty());
        for (String problem : problems) {
            result.addErrorMessage(problem);
        }
        return result;
    }

    /** The problems of a condition as the generic form submits it (text values; blank = none). */
    static List<String> problems(String type, String currencyCode, String numberValue, String textValue) {
        List<String> problems = new ArrayList<String>();
        BigDecimal number = null;
        if (numberValue != null) {
            try {
                number = new BigDecimal(numberValue.trim());
            } catch (NumberFormatException e) {
                problems.add("numberValue: not a number ('" + numberValue + "')");
            }
        }
        problems.addAll(StepCondition.of(type, currencyCode, number, textValue).problems());
        return problems;
    }

    private static String text(Entity entity, String name) {
        Property property = entity.getPMap().get(name);
        String value = property == null ? null : property.getValue();
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }
}
