from datetime import UTC, date, datetime

from django.core.management.base import BaseCommand, CommandParser

from lms.records.rollup import weekly_rollup


class Command(BaseCommand):
    help = (
        "Bring the weekly learning records up to date, as beat does hourly; --since rebuilds from a day on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            help="YYYY-MM-DD: recompute every worker-week with learning or work from that day (UTC) on.",
        )

    def handle(self, *args, since: date | None, **options) -> None:
        start = datetime.combine(since, datetime.min.time(), tzinfo=UTC) if since else None
        result = weekly_rollup(since=start)
        self.stdout.write(f"{result.worker_weeks} worker-weeks of {result.workers} workers recomputed.")
        if result.skipped_rows:
            self.stdout.write(f"{result.skipped_rows} rows outside the records window skipped (see the log).")
        if result.failed_workers:
            ids = ", ".join(map(str, result.failed_workers))
            self.stderr.write(f"Workers not recomputed (see the log): {ids}")
