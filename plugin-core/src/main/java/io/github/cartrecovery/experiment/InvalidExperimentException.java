package io.github.cartrecovery.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An experiment was not saved, started or ended; {@link #getProblems()} names each field and rule. Nothing was written. */
public class InvalidExperimentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidExperimentException(String experimentName, List<String> problems) {
        super("Experiment '" + experimentName + "': " + problems);
        this.problems = Collections.unmodifiableList(new ArrayList<String>(problems));
    }

    public List<String> getProblems() {
        return problems;
    }
}
