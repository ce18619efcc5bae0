"""Recompute chains: a change to something every worker depends on (a task type, a career path) is
recomputed for all workers in batches, neither lost nor run twice.

A change bumps the chain's generation. A batch runs only if it claims the chain for its generation at
its cursor (compare-and-set under a row lock, with a lease longer than a batch's time limit): a second
copy of the same batch, or a batch of an older generation, does nothing. A chain whose next batch was
never published, or whose worker died, is resumed by the periodic sweep once its lease and a quiet
period have passed.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms.models import RecomputeChain, WorkerProfile

# Longer than any batch's time limit: a batch that is still running is never taken over.
LEASE = timedelta(minutes=15)
BATCH = 200


def chain_bump(*, key: str) -> int:
    """Record a change: the chain's new generation, which a batch must then recompute from the start."""
    RecomputeChain.objects.get_or_create(key=key)
    RecomputeChain.objects.filter(key=key).update(generation=F("generation") + 1)
    return RecomputeChain.objects.values_list("generation", flat=True).get(key=key)


def _claim(key: str, generation: int, after: int, now: datetime) -> bool:
    with transaction.atomic():
        chain = RecomputeChain.objects.select_for_update().filter(key=key).first()
        if chain is None or generation != chain.generation or chain.done >= generation:
            return False  # outdated: a newer generation's chain has been (or will be) started
        if chain.busy_until and chain.busy_until > now:
            return False  # a batch is running
        if after == 0 and chain.chain != generation:
            chain.chain, chain.cursor = generation, 0
        elif (chain.chain, chain.cursor) != (generation, after):
            return False  # not this batch's turn: a copy of a batch that already ran
        chain.busy_until = now + LEASE
        chain.save(update_fields=["chain", "cursor", "busy_until"])
        return True


def chain_run_batch(
    *, key: str, generation: int, after: int, work: Callable[[list[int]], None], batch: int = BATCH
) -> tuple[int, int] | None:
    """Run one batch (worker ids after `after`) if the chain is this batch's to run.

    Returns (generation, cursor) of the batch to run next, or None when there is nothing more to do.
    A change made while the batch ran starts the newer generation's chain from the beginning.
    """
    now = timezone.now()
    if not _claim(key, generation, after, now):
        return None
    ids = list(WorkerProfile.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch])
    try:
        work(ids)
    finally:
        RecomputeChain.objects.filter(key=key).update(busy_until=None, progress_at=timezone.now())
    last = ids[-1] if len(ids) == batch else None
    if last is None:
        RecomputeChain.objects.filter(key=key, chain=generation).update(cursor=0, done=generation)
    else:
        RecomputeChain.objects.filter(key=key, chain=generation).update(cursor=last)
    newest = RecomputeChain.objects.values_list("generation", flat=True).get(key=key)
    if newest != generation:
        return newest, 0
    return (generation, last) if last is not None else None


def chains_stalled(*, prefix: str, now: datetime | None = None) -> list[tuple[str, int, int]]:
    """(key, generation, cursor) of stale chains nobody is running: to be resumed by the sweep."""
    now = now or timezone.now()
    quiet = now - LEASE
    stalled = []
    for chain in RecomputeChain.objects.filter(key__startswith=prefix, done__lt=F("generation")):
        if (chain.busy_until and chain.busy_until > now) or (chain.progress_at and chain.progress_at > quiet):
            continue
        cursor = chain.cursor if chain.chain == chain.generation else 0
        stalled.append((chain.key, chain.generation, cursor))
    return stalled
