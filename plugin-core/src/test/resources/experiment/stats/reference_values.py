#!/usr/bin/env python3
"""Reference values for io.github.cartrecovery.experiment.stats, computed independently of the Java code with scipy.

Run from this directory:  python3 reference_values.py
It rewrites proportions.csv, newcombe_published.csv, revenue.csv and sample_size.csv next to itself; the Java tests
(ReferenceValuesTest) read them. Needs python3 with scipy >= 1.11 and numpy; no other package.

Where scipy has the method, scipy computes it:
  - Wilson interval:       scipy.stats.binomtest(x, n).proportion_ci(method="wilson")
  - pooled z-test p-value: scipy.stats.chi2_contingency(table, correction=False) (Pearson chi-square = z squared)
  - Katz relative risk:    scipy.stats.contingency.relative_risk(...).confidence_interval() (Katz log method)
  - revenue per cart:      scipy.stats.ttest_1samp(values, 0).confidence_interval() on the raw per-cart values
  - revenue difference:    scipy.stats.ttest_ind(a, b, equal_var=False) (Welch) on the raw per-cart values
Newcombe's hybrid score interval (method 10 of Newcombe 1998) is not in scipy: it is written out below from the
paper's formula on scipy's Wilson intervals, and checked against the paper's Table II (newcombe_published.csv).
The planned sample size is the Fleiss, Levin and Paik formula with scipy.stats.norm quantiles, checked by its
power (computed the other way round) reaching the target at n and not at n - 1.
"""
import csv
import math
import os

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def wilson(x, n, alpha):
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
    return ci.low, ci.high


def newcombe(x1, n1, x2, n2, alpha):
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, alpha)
    l2, u2 = wilson(x2, n2, alpha)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def pooled_p(x1, n1, x2, n2):
    if x1 + x2 == 0 or x1 + x2 == n1 + n2:
        return 1.0  # nothing differs; the Java code says 1 too
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    return stats.chi2_contingency(table, correction=False).pvalue


def katz(x1, n1, x2, n2, alpha):
    if x1 == 0 or x2 == 0:
        return None  # the log of the ratio is not defined
    if x1 == n1 and x2 == n2:
        return None  # Katz's standard error is 0 there (a zero-width interval); the Java code reports no lift interval
    rr = stats.contingency.relative_risk(x1, n1, x2, n2)
    ci = rr.confidence_interval(confidence_level=1 - alpha)
    return rr.relative_risk - 1, ci.low - 1, ci.high - 1


def fmt(value):
    return "" if value is None else repr(float(value))


PROPORTION_CASES = [
    # x1, n1, x2, n2, alpha
    (56, 70, 48, 80, 0.05), (9, 10, 3, 10, 0.05), (6, 7, 2, 7, 0.05), (5, 56, 0, 29, 0.05),
    (0, 10, 0, 20, 0.05), (0, 10, 0, 10, 0.05), (10, 10, 0, 20, 0.05), (10, 10, 0, 10, 0.05),
    (120, 1580, 95, 1580, 0.05), (412, 5000, 380, 5000, 0.05), (31, 412, 25, 398, 0.05),
    (1, 1000, 0, 1000, 0.05), (50, 50, 49, 50, 0.05), (7, 300, 19, 310, 0.05), (250, 2000, 180, 2100, 0.01),
    (250, 2000, 180, 2100, 0.10), (3, 40, 8, 45, 0.0166666667), (1234, 20000, 1100, 19870, 0.05),
    (1, 1, 0, 1, 0.05), (5, 5, 5, 5, 0.05),
]

# Newcombe 1998, Statistics in Medicine 17:873-890, Table II, method 10 (score, no continuity correction), 95 %:
# examples (a), (b) and (d) to (h), four decimals as printed. Example (c), 6/7 - 2/7, is left out: its printed value
# could not be checked when this table was made.
NEWCOMBE_TABLE_II = [
    (56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926), (0, 10, 0, 20, -0.1611, 0.2775), (0, 10, 0, 10, -0.2775, 0.2775),
    (10, 10, 0, 20, 0.6791, 1.0000), (10, 10, 0, 10, 0.6075, 1.0000),
]

SAMPLE_SIZE_CASES = [
    # baseline, relative MDE, alpha, power
    (0.10, 0.50, 0.05, 0.80), (0.05, 0.20, 0.05, 0.80), (0.08, 0.10, 0.05, 0.80), (0.03, 0.25, 0.05, 0.90),
    (0.20, -0.10, 0.05, 0.80), (0.12, 0.15, 0.025, 0.80), (0.12, 0.15, 0.05 / 3, 0.80), (0.50, 0.05, 0.01, 0.95),
]

REVENUE_CASES = [
    # seed, eligible carts a, conversion a, mean order a, eligible carts b, conversion b, mean order b, alpha
    (1, 1580, 0.08, 60.0, 1580, 0.06, 55.0, 0.05), (2, 200, 0.10, 120.0, 250, 0.10, 120.0, 0.05),
    (3, 5000, 0.03, 400.0, 4800, 0.05, 35.0, 0.05), (4, 30, 0.20, 80.0, 25, 0.12, 90.0, 0.10),
    (5, 1000, 0.07, 1500000.0, 1000, 0.08, 1400000.0, 0.05), (6, 12, 0.5, 20.0, 15, 0.2, 25.0, 0.01),
]


def proportions():
    rows = []
    for x1, n1, x2, n2, alpha in PROPORTION_CASES:
        w1, w2 = wilson(x1, n1, alpha), wilson(x2, n2, alpha)
        lift = katz(x1, n1, x2, n2, alpha)
        rows.append([x1, n1, x2, n2, fmt(alpha), fmt(w1[0]), fmt(w1[1]), fmt(w2[0]), fmt(w2[1]),
                     *map(fmt, newcombe(x1, n1, x2, n2, alpha)), fmt(pooled_p(x1, n1, x2, n2)),
                     *(map(fmt, lift) if lift else ["", "", ""])])
    write("proportions.csv", ["x1", "n1", "x2", "n2", "alpha", "wilson1_lower", "wilson1_upper", "wilson2_lower",
                              "wilson2_upper", "newcombe_lower", "newcombe_upper", "pooled_z_p_value", "lift",
                              "lift_lower", "lift_upper"], rows)


def newcombe_published():
    rows = []
    for x1, n1, x2, n2, lower, upper in NEWCOMBE_TABLE_II:
        ours = newcombe(x1, n1, x2, n2, 0.05)
        assert abs(ours[0] - lower) < 0.00006 and abs(ours[1] - upper) < 0.00006, (x1, n1, x2, n2, ours)
        rows.append([x1, n1, x2, n2, "%.4f" % lower, "%.4f" % upper])
    write("newcombe_published.csv", ["x1", "n1", "x2", "n2", "lower", "upper"], rows)


def sample_size(p1, mde, alpha, power):
    p2 = p1 * (1 + mde)
    pbar = (p1 + p2) / 2
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    n = math.ceil((za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
                  / (p2 - p1) ** 2)

    def achieved(m):  # power of the two-sided pooled z-test with m per arm (normal approximation, upper tail)
        return stats.norm.cdf((abs(p2 - p1) * math.sqrt(m) - za * math.sqrt(2 * pbar * (1 - pbar)))
                              / math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
    assert achieved(n) >= power > achieved(n - 1), (p1, mde, alpha, power, n)
    return n


def sample_sizes():
    rows = [[fmt(b), fmt(m), fmt(a), fmt(p), sample_size(b, m, a, p)] for b, m, a, p in SAMPLE_SIZE_CASES]
    write("sample_size.csv", ["baseline", "relative_mde", "alpha", "power", "carts_per_arm"], rows)


def per_cart_values(rng, n, rate, mean_order):
    """Order totals in cents for the converted carts, 0 for the others."""
    converted = rng.random(n) < rate
    cents = np.round(rng.gamma(2.0, mean_order * 50.0, n)).astype(np.int64) + 1
    return np.where(converted, cents, 0)


def money(cents):
    cents = int(cents)
    return "%d.%02d" % (cents // 100, cents % 100)


def revenue():
    rows = []
    for seed, na, ra, ma, nb, rb, mb, alpha in REVENUE_CASES:
        rng = np.random.default_rng(seed)
        a, b = per_cart_values(rng, na, ra, ma), per_cart_values(rng, nb, rb, mb)
        ea, eb = a / 100.0, b / 100.0
        one = stats.ttest_1samp(ea, 0.0).confidence_interval(confidence_level=1 - alpha)
        welch = stats.ttest_ind(ea, eb, equal_var=False)
        diff = welch.confidence_interval(confidence_level=1 - alpha)
        sum_sq = sum(int(v) * int(v) for v in a)  # exact, in cents squared
        sum_sq_b = sum(int(v) * int(v) for v in b)
        rows.append([seed, fmt(alpha), na, money(a.sum()), "%d.%04d" % divmod(sum_sq, 10000), int((a > 0).sum()),
                     nb, money(b.sum()), "%d.%04d" % divmod(sum_sq_b, 10000), int((b > 0).sum()),
                     fmt(ea.mean()), fmt(one.low), fmt(one.high), fmt(ea.mean() - eb.mean()), fmt(diff.low),
                     fmt(diff.high), fmt(welch.pvalue)])
    write("revenue.csv", ["seed", "alpha", "carts_a", "sum_a", "sum_of_squares_a", "orders_a", "carts_b", "sum_b",
                          "sum_of_squares_b", "orders_b", "mean_a", "mean_a_lower", "mean_a_upper", "difference",
                          "difference_lower", "difference_upper", "welch_p_value"], rows)


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    proportions()
    newcombe_published()
    sample_sizes()
    revenue()
