from django.core.management.base import BaseCommand, CommandError, CommandParser

from assignment import services
from assignment.models import ApiClient


class Command(BaseCommand):
    help = "Create a bridge API client and print its key once (only a hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--scopes",
            nargs="+",
            default=[scope for scope, _ in ApiClient.SCOPES],
            help="Default: every scope (eligibility:read work-results:write).",
        )

    def handle(self, *args, name: str, scopes: list[str], **options) -> None:
        try:
            _, key = services.api_client_create(name=name, scopes=scopes)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(key)
