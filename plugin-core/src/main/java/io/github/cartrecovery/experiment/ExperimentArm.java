package io.github.cartrecovery.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One arm of an experiment (CR_EXPERIMENT_ARM): a short stable key ("holdout", "A", "B"), a name, its kind, its weight
 * among the treated arms (a HOLDOUT's share is the experiment's holdout percentage instead; its weight is ignored) and
 * its step variants (a CONTROL has none). Immutable; the id is null until saved.
 */
public final class ExperimentArm {

    private final Long id;
    private final String key;
    private final String name;
    private final ArmKind kind;
    private final int weight;
    private final List<StepVariant> steps;

    public ExperimentArm(Long id, String key, String name, ArmKind kind, int weight, List<StepVariant> steps) {
        this.id = id;
        this.key = key;
        this.name = name;
        this.kind = kind;
        this.weight = weight;
        this.steps = Collections.unmodifiableList(new ArrayList<StepVariant>(steps));
    }

    /** The holdout arm: its share of the carts is the experiment's holdout percentage. */
    public static ExperimentArm holdout() {
        return new ExperimentArm(null, "holdout", "Holdout", ArmKind.HOLDOUT, 0, Collections.<StepVariant>emptyList());
    }

    public static ExperimentArm control(String key, String name, int weight) {
        return new ExperimentArm(null, key, name, ArmKind.CONTROL, weight, Collections.<StepVariant>emptyList());
    }

    public static ExperimentArm variant(String key, String name, int weight, StepVariant... steps) {
        List<StepVariant> list = new ArrayList<StepVariant>();
        Collections.addAll(list, steps);
        return new ExperimentArm(null, key, name, ArmKind.VARIANT, weight, list);
    }

    /** The variant of step {@code stepNo}, or null when the arm keeps it as the campaign has it. */
    public StepVariant step(int stepNo) {
        for (StepVariant step : steps) {
            if (step.getStepNo() == stepNo) {
                return step;
            }
        }
        return null;
    }

    public Long getId() { return id; }
    public String getKey() { return key; }
    public String getName() { return name; }
    public ArmKind getKind() { return kind; }
    public int getWeight() { return weight; }
    public List<StepVariant> getSteps() { return steps; }
}
