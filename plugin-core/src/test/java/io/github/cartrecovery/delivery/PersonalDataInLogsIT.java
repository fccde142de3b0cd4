package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.annotation.Resource;

import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * What delivery writes to the log about a message whose recipient the SMTP server refuses (its reply names the
 * address, as Postfix's does): the message id, the kind of failure and the reply with the address masked.
 */
@BroadleafWithPlugin
class PersonalDataInLogsIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    RecoveryFixture fixture;
    final LogLines lines = new LogLines();

    @BeforeEach
    void fixtureAndLog(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        Logger.getLogger(MessageDelivery.class).addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(MessageDelivery.class).removeAppender(lines);
    }

    @Test
    void aRefusedRecipientIsLoggedWithItsAddressMasked() throws Exception {
        try (RejectingSmtpServer smtp = new RejectingSmtpServer()) {
            MessageDelivery delivery = fixture.deliveryTo(smtp.port());
            Instant abandoned = fixture.nextMorning();
            String bouncing = RecoveryFixture.uniqueEmail("bounce").toLowerCase(Locale.ROOT);
            fixture.abandonedCart(bouncing);
            planner.planDue();
            fixture.clock.set(abandoned.plus(Duration.ofHours(1)));

            delivery.deliverDue(1000);

            assertThat(smtp.rejected()).contains(bouncing);
            assertThat(lines.logged).anySatisfy(line -> assertThat(line).contains("not delivered (PERMANENT)")
                    .contains("<" + PersonalDataMask.email(bouncing) + ">: Recipient address rejected"));
            assertThat(lines.logged).noneMatch(line -> line.contains(bouncing));
        }
    }

    /** Every event of the logger as an operator's log file would hold it: the message and the printed throwable. */
    static final class LogLines extends AppenderSkeleton {
        final List<String> logged = new CopyOnWriteArrayList<>();

        @Override
        protected void append(LoggingEvent event) {
            StringWriter text = new StringWriter();
            text.append(event.getRenderedMessage());
            if (event.getThrowableInformation() != null) {
                event.getThrowableInformation().getThrowable().printStackTrace(new PrintWriter(text));
            }
            logged.add(text.toString());
        }

        @Override
        public void close() {
        }

        @Override
        public boolean requiresLayout() {
            return false;
        }
    }
}
