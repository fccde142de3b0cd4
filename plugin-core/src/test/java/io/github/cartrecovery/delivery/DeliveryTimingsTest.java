package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.scheduling.NodeClock;

/** The configurable lease, first retry and clock offset (the reliability suite shortens and skews them). */
class DeliveryTimingsTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private final ClaimQuery claims = mock(ClaimQuery.class);

    private MessageDelivery delivery(int firstRetryMinutes) {
        return new MessageDelivery(mock(DataSource.class, RETURNS_DEEP_STUBS), mock(PlatformTransactionManager.class),
                claims, mock(ExitRules.class), mock(CampaignRepository.class), mock(RecoveryCartReader.class),
                mock(EmailRenderer.class), mock(RecoveryLinks.class), mock(RecoveryMessageBuilder.class),
                mock(SmtpMailer.class), Clock.fixed(NOW, ZoneOffset.UTC), "node-a", firstRetryMinutes, 8);
    }

    @Test
    void claimsHoldTheirRowsForTheConfiguredLease() {
        MessageDelivery delivery = delivery(5);
        delivery.setLeaseSeconds(30);
        when(claims.claim(any(JdbcTemplate.class), eq("EMAIL"), eq("node-a"), eq(NOW), any(Instant.class), anyInt()))
                .thenReturn(Collections.<Long>emptyList());

        delivery.deliverDue(10);

        verify(claims).claim(any(JdbcTemplate.class), eq("EMAIL"), eq("node-a"), eq(NOW), eq(NOW.plusSeconds(30)), eq(10));
    }

    @Test
    void theDefaultLeaseIsTenMinutes() {
        MessageDelivery delivery = delivery(5);
        when(claims.claim(any(JdbcTemplate.class), eq("EMAIL"), eq("node-a"), eq(NOW), any(Instant.class), anyInt()))
                .thenReturn(Collections.<Long>emptyList());

        delivery.deliverDue(10);

        verify(claims).claim(any(JdbcTemplate.class), eq("EMAIL"), eq("node-a"), eq(NOW), eq(NOW.plus(Duration.ofMinutes(10))), eq(10));
    }

    @Test
    void aLeaseBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> delivery(5).setLeaseSeconds(0))
                .hasMessageContaining("cartrecovery.delivery.lease-seconds");
    }

    @Test
    void firstRetrySecondsReplacesMinutesAndStillDoubles() {
        MessageDelivery delivery = delivery(5);
        delivery.setFirstRetrySeconds("10");

        assertThat(delivery.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(delivery.backoff(3)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void anEmptyFirstRetrySecondsKeepsMinutes() {
        MessageDelivery delivery = delivery(5);
        delivery.setFirstRetrySeconds("");

        assertThat(delivery.backoff(1)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aFirstRetryThatIsNotANumberIsRefusedByName() {
        assertThatThrownBy(() -> delivery(5).setFirstRetrySeconds("ten"))
                .hasMessageContaining("cartrecovery.delivery.first-retry-seconds");
    }

    @Test
    void theNodeClockRunsAheadByItsOffset() {
        Instant before = Instant.now();
        Instant skewed = NodeClock.withOffsetSeconds(300).instant();

        assertThat(Duration.between(before, skewed)).isBetween(Duration.ofSeconds(299), Duration.ofSeconds(310));
    }

    @Test
    void aDatabaseThatGoesAwayWhilePreparingFailsNoMessage() throws Exception {
        PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
        org.springframework.transaction.TransactionStatus status = mock(org.springframework.transaction.TransactionStatus.class);
        // lease clean-up and claim commit; then the database is gone (MariaDB restarting under the node)
        when(transactions.getTransaction(any())).thenReturn(status).thenReturn(status)
                .thenThrow(new org.springframework.transaction.CannotCreateTransactionException("JDBC begin transaction failed"));
        SmtpMailer mailer = mock(SmtpMailer.class);
        when(mailer.open()).thenReturn(mock(SmtpMailer.Connection.class));
        MessageDelivery delivery = new MessageDelivery(mock(DataSource.class, RETURNS_DEEP_STUBS), transactions, claims,
                mock(ExitRules.class), mock(CampaignRepository.class), mock(RecoveryCartReader.class), mock(EmailRenderer.class),
                mock(RecoveryLinks.class), mock(RecoveryMessageBuilder.class), mailer, Clock.fixed(NOW, ZoneOffset.UTC),
                "node-a", 5, 8);
        when(claims.claim(any(JdbcTemplate.class), eq("EMAIL"), eq("node-a"), eq(NOW), any(Instant.class), anyInt()))
                .thenReturn(java.util.Arrays.asList(1L, 2L));

        // before the fix each message was prepared alone and marked FAILED (PREPARE_ERROR); here that would throw
        assertThat(delivery.deliverDue(10)).isZero();
    }
}
