package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import javax.annotation.Resource;

import org.broadleafcommerce.common.media.domain.Media;
import org.broadleafcommerce.common.media.domain.MediaImpl;
import org.broadleafcommerce.core.catalog.domain.CrossSaleProductImpl;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.RelatedProduct;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.rendering.EmailLayout;
import io.github.cartrecovery.rendering.EmailLayoutSettings;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import jakarta.mail.internet.MimeMessage;

/**
 * The shared email layout in Broadleaf's real context: a product's image is captured from its Broadleaf media
 * when the shopper adds it (absolute, resized as a static asset) and reaches the delivered email with the product's
 * name as alt text; recommendations come from the cart's cross-sales, without the cart's own products or products
 * no longer sold; the footer carries the postal address in both parts.
 */
@BroadleafWithPlugin
class EmailLayoutIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "blCatalogService")
    CatalogService catalog;

    @Resource(name = "blTransactionManager")
    PlatformTransactionManager transactions;

    @Test
    void theCapturedProductImageReachesTheEmailWithAltTextNextToCrossSalesNotInTheCart(PluginContext broadleaf)
            throws Exception {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        Instant abandoned = fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("layout");
        Product kettle = fixture.store.product("Copper Kettle", "40.00");
        Product mug = fixture.store.product("Enamel Mug", "12.00");
        Product teapot = fixture.store.product("Glass Teapot", "34.00");
        Product retired = fixture.store.product("Retired Tin", "9.00");
        String kettleImage = "/cmsstatic/img/kettle-" + kettle.getId() + ".png";
        String teapotImage = "/cmsstatic/img/teapot-" + teapot.getId() + ".png";
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.execute(status -> {
            image(kettle, kettleImage, "Copper Kettle");
            image(teapot, teapotImage, "Glass Teapot");
            Sku gone = catalog.findSkuById(retired.getDefaultSku().getId());
            gone.setAvailable(false); // no longer sold: never recommended
            catalog.saveSku(gone);
            Product withRelations = catalog.findProductById(kettle.getId());
            withRelations.getCrossSaleProducts().add(crossSale(withRelations, mug, 1));
            withRelations.getCrossSaleProducts().add(crossSale(withRelations, retired, 2));
            withRelations.getCrossSaleProducts().add(crossSale(withRelations, teapot, 3));
            return null; // managed: the relations are inserted at commit
        });
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM BLC_PRODUCT_CROSS_SALE WHERE PRODUCT_ID = ?",
                Integer.class, kettle.getId())).isEqualTo(3);
        Order cart = fixture.store.cartWithEmail(email);
        cart = fixture.store.add(cart, kettle, 1);
        cart = fixture.store.add(cart, mug, 2);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();

        String captured = fixture.jdbc.queryForObject("SELECT IMAGE_URL FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = ? "
                + "AND PRODUCT_ID = ?", String.class, cart.getId(), kettle.getId());
        assertThat(captured).as("captured from Broadleaf's media, absolute and email-sized")
                .matches("https?://[^/]+" + kettleImage.replace(".", "\\.") + "\\?resize-width-amount=128&.*");
        assertThat(fixture.jdbc.queryForObject("SELECT IMAGE_URL FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = ? "
                + "AND PRODUCT_ID = ?", String.class, cart.getId(), mug.getId())).as("a product without media").isNull();

        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = 'en_US', "
                + "CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", new java.sql.Timestamp(abandoned.toEpochMilli()), cart.getId());
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            fixture.deliveryTo(port).deliverDue(1000);
            MimeMessage[] received = smtp.getReceivedMessagesForDomain(email);
            assertThat(received).as(fixture.describe(cart.getId())).hasSize(1);
            String html = RecoverySequenceIT.htmlPart(received[0]);
            String text = RecoverySequenceIT.textPart(received[0]);

            assertThat(html).contains("src=\"" + captured.replace("&", "&amp;") + "\" alt=\"Copper Kettle\"")
                    .contains("alt=\"Glass Teapot\"").contains("class=\"cr-placeholder\"") // the mug has no image
                    .doesNotContain("Retired Tin");
            assertThat(html.split("class=\"cr-recommendation\"", -1)).as("only the teapot is recommended").hasSize(2);
            assertThat(text).contains("Glass Teapot: $34.00").doesNotContain("Enamel Mug: $")
                    .doesNotContain("Retired Tin");
            assertThat(html).contains(EmailLayout.EXAMPLE_POSTAL_ADDRESS);
            assertThat(text).contains(EmailLayout.EXAMPLE_POSTAL_ADDRESS);
        } finally {
            smtp.stop();
        }
    }

    /**
     * The operator's layout (the admin's Email Layout screen): saved values reach the next email on the saving node at
     * once and on another node after its refresh; refused values are all named and change nothing; an emptied field
     * gives the property back.
     */
    @Test
    void theLayoutSavedInTheAdminReachesTheEmailsAndRefusedValuesChangeNothing(PluginContext broadleaf)
            throws Exception {
        EmailLayoutSettings settings = broadleaf.bean("crEmailLayoutSettings", EmailLayoutSettings.class);
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        EmailLayoutSettings otherNode = new EmailLayoutSettings(broadleaf.bean("crDataSource", javax.sql.DataSource.class),
                settings.defaults(), fixture.clock, 60_000);
        assertThat(otherNode.current().getPostalAddress()).isEqualTo(EmailLayout.EXAMPLE_POSTAL_ADDRESS);
        Map<String, String> values = new HashMap<>();
        values.put(EmailLayoutSettings.POSTAL_ADDRESS, "  12 Harbour Road, Portsmouth PO1 2AB, UK  ");
        values.put(EmailLayoutSettings.BRAND_COLOUR, "#AA3300");
        values.put(EmailLayoutSettings.LOGO_URL, "https://cdn.example.org/logo.png");
        values.put(EmailLayoutSettings.STORE_NAME, "Harbour Tea <Co>");
        try {
            Map<String, String> bad = new HashMap<>(values);
            bad.put(EmailLayoutSettings.BRAND_COLOUR, "red");
            bad.put(EmailLayoutSettings.LOGO_URL, "javascript:alert(1)");
            bad.put(EmailLayoutSettings.RECOMMENDATIONS, "40");
            assertThatThrownBy(() -> settings.save(bad, "admin"))
                    .isInstanceOfSatisfying(EmailLayoutSettings.InvalidLayoutException.class, e -> assertThat(
                            e.getProblems()).containsOnlyKeys(EmailLayoutSettings.BRAND_COLOUR,
                            EmailLayoutSettings.LOGO_URL, EmailLayoutSettings.RECOMMENDATIONS));
            assertThat(settings.saved().getUpdatedAt()).as("nothing written").isNull();

            settings.save(values, "admin");
            assertThat(settings.saved().getUpdatedBy()).isEqualTo("admin");
            assertThat(settings.current().getPostalAddress()).isEqualTo("12 Harbour Road, Portsmouth PO1 2AB, UK");
            assertThat(otherNode.current().getPostalAddress()).as("another node until its refresh")
                    .isEqualTo(EmailLayout.EXAMPLE_POSTAL_ADDRESS);
            fixture.clock.advance(Duration.ofMinutes(1));
            assertThat(otherNode.current().getBrandColour()).as("another node after its refresh").isEqualTo("#aa3300");

            String email = RecoveryFixture.uniqueEmail("operator-layout");
            Instant abandoned = fixture.nextMorning();
            Order cart = fixture.abandonedCart(email);
            planner.planDue();
            fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
            int port = RecoveryFixture.freePort();
            GreenMail smtp = RecoveryFixture.greenMail(port);
            try {
                fixture.deliveryTo(port).deliverDue(1000);
                MimeMessage[] received = smtp.getReceivedMessagesForDomain(email);
                assertThat(received).as(fixture.describe(cart.getId())).hasSize(1);
                String html = RecoverySequenceIT.htmlPart(received[0]);
                String text = RecoverySequenceIT.textPart(received[0]);
                assertThat(html).contains("12 Harbour Road, Portsmouth PO1 2AB, UK").contains("#aa3300")
                        .contains("src=\"https://cdn.example.org/logo.png\"").contains("Harbour Tea &lt;Co&gt;")
                        .doesNotContain(EmailLayout.EXAMPLE_POSTAL_ADDRESS).doesNotContain("Harbour Tea <Co>");
                assertThat(text).contains("12 Harbour Road, Portsmouth PO1 2AB, UK");
            } finally {
                smtp.stop();
            }

            values.put(EmailLayoutSettings.POSTAL_ADDRESS, " ");
            settings.save(values, "admin");
            assertThat(settings.current().getPostalAddress()).as("an emptied field: the property again")
                    .isEqualTo(EmailLayout.EXAMPLE_POSTAL_ADDRESS);
        } finally {
            settings.reset();
        }
    }

    private void image(Product product, String url, String alt) {
        Sku sku = catalog.findSkuById(product.getDefaultSku().getId());
        Media media = new MediaImpl();
        media.setUrl(url);
        media.setAltText(alt);
        sku.getSkuMedia().put("primary", media);
        catalog.saveSku(sku);
    }

    private static RelatedProduct crossSale(Product product, Product related, int sequence) {
        RelatedProduct relation = new CrossSaleProductImpl();
        relation.setProduct(product);
        relation.setRelatedProduct(related);
        relation.setSequence(BigDecimal.valueOf(sequence));
        return relation;
    }
}
