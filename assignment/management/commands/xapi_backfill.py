from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assignment import services


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since {value!r} is not a date like 2026-01-31.") from error


class Command(BaseCommand):
    help = (
        "Queue an xAPI statement for every learning event and promotion since a day, for a newly connected "
        "learning record store. Statements already queued or sent are not queued twice (and keep their id)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="The first day (UTC) to send, e.g. 2026-01-31.")

    def handle(self, *args, since: str, **options) -> None:
        day = _day(since)
        earliest = date.fromisoformat(settings.LADDER_RECORDS_START)
        if not earliest <= day <= timezone.now().date():
            raise CommandError(f"--since must be from {earliest} to today.")
        try:
            report = services.xapi_backfill(since=day)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in report.skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(
            f"{report.queued} statements queued, {report.already} already queued, "
            f"{len(report.skipped)} skipped. They are sent in the background."
        )
