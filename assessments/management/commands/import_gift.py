from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import services
from assessments.models import QuestionBank


class Command(BaseCommand):
    help = "Import a question bank in Moodle's GIFT format; nothing is imported if any question has an error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bank", help="The question bank's title (created if it does not exist).")
        parser.add_argument("path", type=Path, help="The .gift file (UTF-8).")

    def handle(self, *args, bank: str, path: Path, **options) -> None:
        try:
            source = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        target, _ = QuestionBank.objects.get_or_create(title=bank)
        try:
            created = services.bank_import_gift(bank=target, source=source, by=None)
        except services.GiftImportError as error:
            for problem in error.errors:
                self.stderr.write(f"{path}:{problem.line}: {problem.message}")
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {len(created)} questions into “{target}”."))
