package io.github.cartrecovery.campaign;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A campaign was not saved because its data cannot work; {@link #getProblems()} names each field and rule. */
public class InvalidCampaignException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidCampaignException(String campaignName, List<String> problems) {
        super("Campaign '" + campaignName + "' was not saved: " + problems);
        this.problems = Collections.unmodifiableList(new ArrayList<String>(problems));
    }

    public List<String> getProblems() {
        return problems;
    }
}
