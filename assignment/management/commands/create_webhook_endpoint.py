from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator

from assignment import services


class Command(BaseCommand):
    help = "Register a webhook endpoint and print its signing secret (whsec_...) once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url")
        parser.add_argument("--events", nargs="+", default=[], help="Event types; default: all.")

    def handle(self, *args, url: str, events: list[str], **options) -> None:
        try:
            URLValidator(schemes=["http", "https"])(url)
            endpoint = services.webhook_endpoint_create(url=url, event_types=events)
        except (ValidationError, ValueError) as error:
            raise CommandError(f"Cannot register {url}: {error}") from error
        self.stdout.write(endpoint.secret)
