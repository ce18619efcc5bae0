"""The limits the bench judges by that are not budgets of one page: read by the runner, the scaling
step and the README writer alike (no Django here, so the runner can import it)."""

# The fitted exponent of time ∝ size^k above which a cost grows worse than linear: a little above 1, for
# a linear cost measured on a shared machine.
GROWTH_LIMIT = 1.15
