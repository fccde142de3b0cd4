package io.github.cartrecovery.delivery;

import java.math.BigDecimal;
import java.util.Arrays;

import javax.mail.MessagingException;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.rendering.RenderedEmail;

/**
 * Preview and test send for the admin screens: render any step for a real captured cart or a sample
 * cart, and send that rendering to any address. Never reads or writes planned messages, so the real
 * sequence is untouched; test sends get a fresh Message-ID and "[TEST] " in the subject. Links use
 * planned message id 0.
 */
public class RecoveryPreview {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CampaignRepository campaigns;
    private final RecoveryCartReader carts;
    private final EmailRenderer renderer;
    private final RecoveryLinks links;
    private final RecoveryMessageBuilder messages;
    private final SmtpMailer mailer;

    public RecoveryPreview(DataSource dataSource, PlatformTransactionManager transactionManager,
                           CampaignRepository campaigns, RecoveryCartReader carts, EmailRenderer renderer,
                           RecoveryLinks links, RecoveryMessageBuilder messages, SmtpMailer mailer) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setReadOnly(true);
        this.campaigns = campaigns;
        this.carts = carts;
        this.renderer = renderer;
        this.links = links;
        this.messages = messages;
        this.mailer = mailer;
    }

    /** A step rendered for a captured cart (today's prices; lines no longer sold left out). */
    public RenderedEmail forCart(final long stepId, final long orderId) {
        RecoveryCart cart = transactions.execute(new TransactionCallback<RecoveryCart>() {
            @Override
            public RecoveryCart doInTransaction(TransactionStatus status) {
                return carts.read(jdbc, orderId);
            }
        });
        if (cart == null) {
            throw new IllegalArgumentException("no captured cart with order id " + orderId);
        }
        return render(stepId, cart, orderId);
    }

    /** A step rendered for a made-up two-line cart in the given locale and currency. */
    public RenderedEmail forSampleCart(long stepId, String localeCode, String currencyCode) {
        return render(stepId, sampleCart(localeCode, currencyCode), 0L);
    }

    /** The made-up two-line cart of previews without a real cart. */
    public static RecoveryCart sampleCart(String localeCode, String currencyCode) {
        return new RecoveryCart("Alex", localeCode, currencyCode, Arrays.asList(
                new CartLine("Sample product", 2, new BigDecimal("19.90"), new BigDecimal("24.90"), null, null),
                new CartLine("Another sample product", 1, new BigDecimal("5.00"), new BigDecimal("5.00"), null, null)));
    }

    /** Sends a rendering to {@code to} as a test. */
    public void sendTest(RenderedEmail rendered, String to) throws MessagingException {
        RenderedEmail marked = new RenderedEmail("[TEST] " + rendered.getSubject(), rendered.getHtml(), rendered.getText());
        SmtpMailer.Connection connection = mailer.open();
        try {
            connection.send(messages.build(mailer.session(), messages.testMessageId(), 0L, to, marked));
        } finally {
            connection.close();
        }
    }

    private RenderedEmail render(long stepId, RecoveryCart cart, long orderId) {
        CampaignStep step = campaigns.step(stepId);
        if (step == null) {
            throw new IllegalArgumentException("no campaign step with id " + stepId);
        }
        return renderer.render(step.getTemplate(), step.subjectFor(cart.getLocaleCode()), cart,
                links.restoreUrl(0L, orderId), links.unsubscribeUrl(0L));
    }
}
