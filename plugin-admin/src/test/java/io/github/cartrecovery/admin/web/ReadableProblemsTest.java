package io.github.cartrecovery.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadableProblemsTest {

    @Test
    void aStepProblemNamesTheStepAndTheField() {
        assertThat(ReadableProblems.sentence("steps[2].couponValue: at most 5 decimals"))
                .isEqualTo("Step 2, maximum discount: at most 5 decimals");
    }

    @Test
    void aNegativeStepNumberIsSaidInWordsToo() {
        assertThat(ReadableProblems.sentence("steps[-1].stepNo: must be at least 1 (was -1)"))
                .isEqualTo("Step -1, step number: must be at least 1 (was -1)");
    }

    @Test
    void theIdIsTheCampaign() {
        assertThat(ReadableProblems.sentence("id: not a campaign id")).isEqualTo("Campaign: not a campaign id");
    }
}
