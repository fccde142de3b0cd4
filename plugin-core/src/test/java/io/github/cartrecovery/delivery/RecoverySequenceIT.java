package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import jakarta.mail.internet.MimeMessage;

/** The default campaign end to end: plan, move the clock, deliver to a real SMTP server (GreenMail). */
@BroadleafWithPlugin
class RecoverySequenceIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;

    @BeforeEach
    void start(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private MimeMessage[] received(String email) {
        return smtp.getReceivedMessagesForDomain(email);
    }

    @Test
    void sendsStepOneAtOneHourStepTwoAtTwentyFiveHoursAndStepThreeAtNinetySevenHours() throws Exception {
        Instant abandoned = fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("sequence");
        Order cart = fixture.abandonedCart(email);
        assertThat(planner.planDue()).isGreaterThanOrEqualTo(1);

        fixture.clock.set(abandoned.plus(Duration.ofMinutes(59)));
        delivery.deliverDue(1000);
        assertThat(received(email)).isEmpty();

        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
        delivery.deliverDue(1000);
        assertThat(received(email)).extracting(MimeMessage::getSubject).containsExactly("You left something in your cart");

        fixture.clock.set(abandoned.plus(Duration.ofHours(25)).minusSeconds(1));
        delivery.deliverDue(1000);
        assertThat(received(email)).hasSize(1);
        fixture.clock.set(abandoned.plus(Duration.ofHours(25)));
        delivery.deliverDue(1000);
        assertThat(received(email)).hasSize(2);

        fixture.clock.set(abandoned.plus(Duration.ofHours(97)).minusSeconds(1));
        delivery.deliverDue(1000);
        assertThat(received(email)).hasSize(2);
        fixture.clock.set(abandoned.plus(Duration.ofHours(97)));
        delivery.deliverDue(1000);
        assertThat(received(email)).extracting(MimeMessage::getSubject).containsExactly(
                "You left something in your cart", "Your cart is still waiting for you",
                "Last call: your cart will not wait forever");

        fixture.clock.advance(Duration.ofDays(30));
        delivery.deliverDue(1000);
        assertThat(received(email)).hasSize(3);
        assertThat(Arrays.asList(fixture.messageStatus(cart.getId(), 1), fixture.messageStatus(cart.getId(), 2),
                fixture.messageStatus(cart.getId(), 3))).containsOnly("SENT");
    }

    @Test
    void sentMessageHasHtmlAndTextPartsAStableMessageIdAndOneClickUnsubscribeHeaders() throws Exception {
        Instant abandoned = fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("mime");
        Order cart = fixture.abandonedCart(email);
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
        delivery.deliverDue(1000);

        MimeMessage message = received(email)[0];
        long plannedId = fixture.jdbc.queryForObject(
                "SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1", Long.class, cart.getId());
        assertThat(message.getMessageID()).matches("<cr\\." + plannedId + "\\.[0-9a-f]{32}@cartrecovery\\.test>");
        assertThat(fixture.jdbc.queryForObject("SELECT MESSAGE_ID FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, plannedId))
                .isEqualTo(message.getMessageID());
        RecoveryLinks links = fixture.broadleaf.bean("crRecoveryLinks", RecoveryLinks.class);  // same clock: same tokens
        assertThat(message.getHeader("List-Unsubscribe", null).replaceAll("\\r?\\n\\s+", " ")).isEqualTo(
                "<" + links.unsubscribeUrl(plannedId) + ">, <" + links.unsubscribeMailto(plannedId) + ">");
        assertThat(links.unsubscribeUrl(plannedId)).startsWith("https://shop.example.com/cart-recovery/unsubscribe/");
        String unsubscribeToken = links.unsubscribeUrl(plannedId).substring(links.unsubscribeUrl(plannedId).lastIndexOf('/') + 1);
        assertThat(fixture.broadleaf.bean("crLinkTokens", LinkTokens.class)
                .verify(unsubscribeToken, LinkPurpose.UNSUBSCRIBE, null, fixture.clock.instant())).isEqualTo(plannedId);
        assertThat(message.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        String whole = GreenMailUtil.getWholeMessage(message);
        assertThat(whole).contains("multipart/alternative").contains("text/plain").contains("text/html");
        assertThat(whole).contains(links.restoreUrl(plannedId, cart.getId()));
        assertThat(htmlPart(message)).contains("src=\"" + links.openPixelUrl(plannedId) + "\"");
        assertThat(message.getFrom()[0].toString()).contains("shop@example.com");
    }

    @Test
    void productNamesAreEscapedAndPricesFormattedInTheCartsCurrency() throws Exception {
        Instant abandoned = fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("escape");
        fixture.abandonedCart(email, "<script>alert(1)</script>", "1234.50", 1, "de_DE", "EUR");
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
        delivery.deliverDue(1000);

        MimeMessage message = received(email)[0];
        assertThat(message.getSubject()).isEqualTo("Sie haben etwas im Warenkorb vergessen");
        String html = htmlPart(message);
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("1.234,50\u00a0€").contains("Zum Warenkorb");
    }

    @Test
    void quietHoursMoveAStepToTheNextAllowedMinute() throws Exception {
        Instant morning = fixture.nextMorning();
        Instant evening = morning.plus(Duration.ofMinutes(630)); // 20:30 UTC: step 1 nominally at 21:30
        fixture.clock.set(evening);
        String email = RecoveryFixture.uniqueEmail("quiet");
        Order cart = fixture.abandonedCart(email);
        planner.planDue();

        Instant nextEight = morning.plus(Duration.ofHours(22)); // 08:00 UTC the next day
        assertThat(fixture.jdbc.queryForObject("SELECT DUE_AT FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1",
                java.sql.Timestamp.class, cart.getId()).toInstant()).isEqualTo(nextEight);
        fixture.clock.set(nextEight.minusSeconds(60));
        delivery.deliverDue(1000);
        assertThat(received(email)).isEmpty();
        fixture.clock.set(nextEight);
        delivery.deliverDue(1000);
        assertThat(received(email)).as(fixture.describe(cart.getId())).hasSize(1);
    }

    @Test
    void aCartIsPlannedOnceEvenWhenPlanningRunsAgain() {
        fixture.nextMorning();
        Order cart = fixture.abandonedCart(RecoveryFixture.uniqueEmail("once"));
        planner.planDue();
        planner.planDue();
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                Integer.class, cart.getId())).isEqualTo(3);
        assertThat(fixture.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?",
                String.class, cart.getId())).isEqualTo("IN_RECOVERY");
    }

    @Test
    void aRepeatAbandonerWithinTheCooldownGetsNoSecondSequence() {
        fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("cooldown");
        fixture.abandonedCart(email);
        planner.planDue();
        fixture.clock.advance(Duration.ofHours(2));
        Order second = fixture.abandonedCart(email);
        planner.planDue();
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                Integer.class, second.getId())).isZero();
        assertThat(fixture.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?",
                String.class, second.getId())).isEqualTo("EXCLUDED");
    }

    /** The HTML part, decoded with javax.mail (the jakarta side of the test classpath lacks its handlers). */
    static String htmlPart(MimeMessage message) throws Exception {
        return part(message, "text/html");
    }

    /** The plain-text part, decoded the same way. */
    static String textPart(MimeMessage message) throws Exception {
        return part(message, "text/plain");
    }

    private static String part(MimeMessage message, String type) throws Exception {
        javax.mail.internet.MimeMessage parsed = new javax.mail.internet.MimeMessage(
                javax.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(GreenMailUtil.getWholeMessage(message).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        return findPart(parsed.getContent(), type);
    }

    private static String findPart(Object content, String type) throws Exception {
        if (content instanceof javax.mail.Multipart) {
            javax.mail.Multipart multipart = (javax.mail.Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                javax.mail.BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType(type)) {
                    return (String) part.getContent();
                }
                String nested = findPart(part.getContent(), type);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }
}
