"""Recompute chains: a change made during a run is not lost, a copy of a batch does not run twice."""

from datetime import timedelta

from django.utils import timezone

from lms import chains
from lms.models import RecomputeChain


def run_all(key: str, first: tuple[int, int], seen: list[list[int]], batch: int = 2) -> None:
    following = first
    while following is not None:
        following = chains.chain_run_batch(
            key=key, generation=following[0], after=following[1], work=seen.append, batch=batch
        )


def test_a_chain_walks_every_worker_once_in_batches(make_worker):
    workers = [make_worker() for _ in range(5)]
    generation = chains.chain_bump(key="k")
    seen: list[list[int]] = []
    run_all("k", (generation, 0), seen)
    assert [pk for batch in seen for pk in batch] == [w.pk for w in workers]
    chain = RecomputeChain.objects.get(key="k")
    assert (chain.done, chain.generation, chain.is_stale) == (1, 1, False)
    assert chains.chains_stalled(prefix="k") == []


def test_a_copy_of_a_batch_and_an_outdated_batch_do_nothing(make_worker):
    [make_worker() for _ in range(5)]
    generation = chains.chain_bump(key="k")
    seen: list[list[int]] = []
    following = chains.chain_run_batch(key="k", generation=generation, after=0, work=seen.append, batch=2)
    # The broker delivers the first batch again (acks_late after a lost ack): it does nothing.
    assert chains.chain_run_batch(key="k", generation=generation, after=0, work=seen.append, batch=2) is None
    assert len(seen) == 1
    # The rules change mid-chain: the old chain's next batch hands over to the new generation.
    newer = chains.chain_bump(key="k")
    assert (
        chains.chain_run_batch(key="k", generation=following[0], after=following[1], work=seen.append) is None
    )
    assert len(seen) == 1
    run_all("k", (newer, 0), seen)
    assert RecomputeChain.objects.get(key="k").done == newer == 2
    assert seen[1][0] < seen[0][-1] + 1  # the new generation started from the first worker


def test_a_change_while_a_batch_runs_is_picked_up_when_it_ends(make_worker):
    [make_worker() for _ in range(3)]
    generation = chains.chain_bump(key="k")
    bumped = []

    def work(ids):
        if not bumped:
            bumped.append(chains.chain_bump(key="k"))  # an admin saves again meanwhile

    following = chains.chain_run_batch(key="k", generation=generation, after=0, work=work, batch=10)
    assert following == (bumped[0], 0)
    run_all("k", following, [])
    chain = RecomputeChain.objects.get(key="k")
    assert chain.done == chain.generation == 2


def test_a_stalled_chain_is_resumed_where_it_stopped_but_not_while_it_runs(make_worker):
    [make_worker() for _ in range(5)]
    generation = chains.chain_bump(key="eligibility:x")
    assert chains.chains_stalled(prefix="eligibility:") == [("eligibility:x", 1, 0)]  # never published
    following = chains.chain_run_batch(
        key="eligibility:x", generation=generation, after=0, work=list, batch=2
    )
    # Its next batch was lost: nothing is resumed during the quiet period, then from the cursor.
    assert chains.chains_stalled(prefix="eligibility:") == []
    later = timezone.now() + chains.LEASE + timedelta(minutes=1)
    assert chains.chains_stalled(prefix="eligibility:", now=later) == [("eligibility:x", 1, following[1])]
    # A batch that holds the lease is never taken over.
    RecomputeChain.objects.update(busy_until=later + timedelta(minutes=5))
    assert chains.chains_stalled(prefix="eligibility:", now=later) == []
