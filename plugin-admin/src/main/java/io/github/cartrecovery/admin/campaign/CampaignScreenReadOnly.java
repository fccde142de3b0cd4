package io.github.cartrecovery.admin.campaign;

import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.dto.Entity;
import org.broadleafcommerce.openadmin.dto.PersistencePackage;
import org.broadleafcommerce.openadmin.server.dao.DynamicEntityDao;
import org.broadleafcommerce.openadmin.server.service.handler.CustomPersistenceHandlerAdapter;
import org.broadleafcommerce.openadmin.server.service.persistence.module.RecordHelper;

/**
 * Host edge: makes Broadleaf's generic screens for campaigns, their steps, step conditions and audience conditions
 * read-only. Every add, update and remove of those entities through Broadleaf's admin persistence (the generic
 * "Recovery Campaigns" section, its collection forms, any other path through {@code blAdminEntityService}) is
 * refused before anything is written, so each save goes through the campaign editor, {@code CampaignRepository}
 * and {@code CampaignValidator}. Listing and opening still work. Registered in Broadleaf's
 * {@code blCustomPersistenceHandlers} list; stateless.
 */
public class CampaignScreenReadOnly extends CustomPersistenceHandlerAdapter {

    static final String CAMPAIGN_PACKAGE = "io.github.cartrecovery.campaign.";
    static final String REFUSAL = "Campaigns are edited in Cart Recovery > Campaign Editor, which checks every save; "
            + "this screen only lists them";

    @Override
    public Boolean canHandleAdd(PersistencePackage persistencePackage) {
        return isCampaignData(persistencePackage);
    }

    @Override
    public Boolean canHandleUpdate(PersistencePackage persistencePackage) {
        return isCampaignData(persistencePackage);
    }

    @Override
    public Boolean canHandleRemove(PersistencePackage persistencePackage) {
        return isCampaignData(persistencePackage);
    }

    @Override
    public Entity add(PersistencePackage persistencePackage, DynamicEntityDao dao, RecordHelper helper) throws ServiceException {
        throw new ServiceException(REFUSAL);
    }

    @Override
    public Entity update(PersistencePackage persistencePackage, DynamicEntityDao dao, RecordHelper helper) throws ServiceException {
        throw new ServiceException(REFUSAL);
    }

    @Override
    public void remove(PersistencePackage persistencePackage, DynamicEntityDao dao, RecordHelper helper) throws ServiceException {
        throw new ServiceException(REFUSAL);
    }

    /** Campaign, CampaignStep, StepCondition, CampaignCondition: any entity of the campaign package. */
    private static boolean isCampaignData(PersistencePackage persistencePackage) {
        String ceiling = persistencePackage.getCeilingEntityFullyQualifiedClassname();
        return ceiling != null && ceiling.startsWith(CAMPAIGN_PACKAGE);
    }
}
