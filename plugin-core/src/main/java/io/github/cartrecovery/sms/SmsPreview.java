package io.github.cartrecovery.sms;

import java.math.BigDecimal;
import java.util.Arrays;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RecoveryCartReader;

/**
 * The admin's preview of an SMS step (bean {@code crSmsPreview}): the text for a captured cart or a sample cart, with
 * its alphabet and segment count, exactly as delivery would compose it (the link names planned message 0, so it opens
 * nothing; a step with a coupon policy shows a sample code of a real code's length). Reads only.
 */
public class SmsPreview {

    /** As long as a real code with the default prefix (CR-XXXX-XXXX-XXXX), so the segment count is the real one. */
    static final String SAMPLE_COUPON = "CR-SAMP-LE12-CODE";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CampaignRepository campaigns;
    private final RecoveryCartReader carts;
    private final SmsChannel channel;

    public SmsPreview(DataSource dataSource, PlatformTransactionManager transactionManager, CampaignRepository campaigns,
                      RecoveryCartReader carts, SmsChannel channel) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setReadOnly(true);
        this.campaigns = campaigns;
        this.carts = carts;
        this.channel = channel;
    }

    /** True when the step exists and sends on the SMS channel. */
    public boolean isSmsStep(long stepId) {
        CampaignStep step = campaigns.step(stepId);
        return step != null && SmsChannel.NAME.equals(step.getChannel());
    }

    /** The step's text for a captured cart (today's prices). */
    public SmsText forCart(long stepId, final long orderId) {
        RecoveryCart cart = transactions.execute(new TransactionCallback<RecoveryCart>() {
            @Override
            public RecoveryCart doInTransaction(TransactionStatus status) {
                return carts.read(jdbc, orderId);
            }
        });
        if (cart == null) {
            throw new IllegalArgumentException("no captured cart with order id " + orderId);
        }
        return compose(stepId, cart);
    }

    /** The step's text for a made-up two-line cart in the given locale and currency. */
    public SmsText forSampleCart(long stepId, String localeCode, String currencyCode) {
        RecoveryCart sample = new RecoveryCart("Alex", localeCode, currencyCode, Arrays.asList(
                new CartLine("Sample product", 2, new BigDecimal("19.90"), new BigDecimal("24.90"), null, null),
                new CartLine("Another sample product", 1, new BigDecimal("5.00"), new BigDecimal("5.00"), null, null)));
        return compose(stepId, sample);
    }

    public int maxSegments() {
        return channel.templates().maxSegments();
    }

    private SmsText compose(long stepId, RecoveryCart cart) {
        CampaignStep step = campaigns.step(stepId);
        if (step == null) {
            throw new IllegalArgumentException("no campaign step with id " + stepId);
        }
        if (!SmsChannel.NAME.equals(step.getChannel())) {
            throw new IllegalArgumentException("step " + stepId + " sends on " + step.getChannel() + ", not SMS");
        }
        boolean coupon = step.getCouponPolicy() != null && !"NONE".equals(step.getCouponPolicy());
        return channel.compose(step.getTemplate(), cart, 0L, coupon ? SAMPLE_COUPON : null);
    }
}
