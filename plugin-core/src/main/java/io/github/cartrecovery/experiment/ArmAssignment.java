package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which arm a shopper is in: HMAC-SHA256 of the normalised address (trimmed, lower case) keyed by the experiment's
 * salt, its first 53 bits read as a point u in [0,1). Below the holdout share the shopper is held out; above it, u is
 * stretched back over [0,1) and falls into the treated arms in position order, each taking its weight's share. No
 * random draw and no state: every node, every cart of the shopper, and a rerun compute the same arm for the
 * experiment's life (the salt and arms never change once it runs). Stateless and thread-safe.
 */
public final class ArmAssignment {

    private static final String HMAC = "HmacSHA256";
    private static final double TWO_TO_53 = 9007199254740992d;

    private ArmAssignment() {
    }

    /** The address as assignment sees it: trimmed, lower case. */
    public static String normalise(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    /** The keyed hash (64 hex characters) recorded as CR_EXPERIMENT_ASSIGNMENT.SHOPPER_HASH; never the address. */
    public static String shopperHash(String salt, String email) {
        byte[] mac = mac(salt, email);
        StringBuilder hex = new StringBuilder(64);
        for (byte b : mac) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** The shopper's point in [0,1) for this salt. */
    public static double point(String salt, String email) {
        byte[] mac = mac(salt, email);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (mac[i] & 0xFF);
        }
        return (bits >>> 11) / TWO_TO_53;
    }

    /** The arm of {@code email} among {@code arms} (position order), with {@code holdoutPercent} of shoppers held out. */
    public static ExperimentArm arm(String salt, BigDecimal holdoutPercent, List<ExperimentArm> arms, String email) {
        return arm(point(salt, email), holdoutPercent, arms);
    }

    static ExperimentArm arm(double u, BigDecimal holdoutPercent, List<ExperimentArm> arms) {
        double holdout = holdoutPercent == null ? 0 : holdoutPercent.doubleValue() / 100d;
        ExperimentArm holdoutArm = null;
        long totalWeight = 0;
        for (ExperimentArm arm : arms) {
            if (arm.getKind() == ArmKind.HOLDOUT) {
                holdoutArm = arm;
            } else {
                totalWeight += Math.max(0, arm.getWeight());
            }
        }
        if (holdoutArm != null && u < holdout) {
            return holdoutArm;
        }
        double treated = holdoutArm == null ? u : (u - holdout) / (1d - holdout);
        double threshold = treated * totalWeight;
        long cumulative = 0;
        ExperimentArm last = null;
        for (ExperimentArm arm : arms) {
            if (arm.getKind() == ArmKind.HOLDOUT || arm.getWeight() <= 0) {
                continue;
            }
            cumulative += arm.getWeight();
            last = arm;
            if (threshold < cumulative) {
                return arm;
            }
        }
        return last == null ? holdoutArm : last;
    }

    private static byte[] mac(String salt, String email) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal(normalise(email).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
