package io.github.cartrecovery.delivery;

import javax.mail.MessagingException;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.rendering.EditedCopy;
import io.github.cartrecovery.rendering.EmailModel;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.rendering.SampleCart;
import io.github.cartrecovery.templates.EmailTemplateStore;

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
    private volatile EmailTemplateStore templates;

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
        return render(stepId, SampleCart.of("Alex", localeCode, currencyCode), 0L);
    }

    /**
     * The template editor's preview: a template with words not saved yet ({@code edited}), for a captured cart
     * ({@code orderId}, shown in the editor's locale) or, with a null order id, the sample cart in that locale and
     * {@code currencyCode}. {@code subject} stands for the campaign step's subject when the words have none.
     */
    public RenderedEmail draft(String template, final Long orderId, String localeCode, String currencyCode,
                               EditedCopy edited, String subject) {
        RecoveryCart cart;
        if (orderId == null) {
            cart = SampleCart.of("Alex", localeCode, currencyCode);
        } else {
            RecoveryCart captured = transactions.execute(new TransactionCallback<RecoveryCart>() {
                @Override
                public RecoveryCart doInTransaction(TransactionStatus status) {
                    return carts.read(jdbc, orderId);
                }
            });
            if (captured == null) {
                throw new IllegalArgumentException("no captured cart with order id " + orderId);
            }
            cart = new RecoveryCart(captured.getFirstName(), localeCode, captured.getCurrencyCode(), captured.getLines(),
                    captured.getRecommendations());
        }
        long id = orderId == null ? 0L : orderId;
        return renderer.render(template, new EmailModel(subject, cart, links.restoreUrl(0L, id), links.unsubscribeUrl(0L)),
                edited);
    }

    /** Email templates edited in the admin: previews show the newest saved words, as delivery sends them. */
    public void setTemplates(EmailTemplateStore templates) {
        this.templates = templates;
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
        EditedCopy edited = templates == null ? null : templates.newest(step.getTemplate(), cart.getLocaleCode());
        return renderer.render(step.getTemplate(), new EmailModel(step.subjectFor(cart.getLocaleCode()), cart,
                links.restoreUrl(0L, orderId), links.unsubscribeUrl(0L)), edited);
    }
}
