from django.core.management.base import BaseCommand, CommandError

from assessments.credentials.keys import KeyUnavailable, key_create


class Command(BaseCommand):
    help = (
        "Write the Ed25519 key that signs Open Badges 3.0 credentials to LADDER_CREDENTIAL_KEY_FILE. "
        "--rotate replaces it and keeps the old public key in the DID document; --if-missing does nothing "
        "when a key is already there."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--rotate", action="store_true", help="Replace the key; old credentials still verify."
        )
        group.add_argument("--if-missing", action="store_true", help="Only write a key when there is none.")

    def handle(self, *args, rotate: bool, if_missing: bool, **options):
        try:
            path, new, retired = key_create(rotate=rotate)
        except KeyUnavailable as error:
            if if_missing and not rotate:
                return
            raise CommandError(str(error)) from None
        self.stdout.write(f"Wrote a new signing key to {path} (public key {new}).")
        if retired:
            self.stdout.write(
                f"The previous key {retired} stays in the DID document, so its credentials verify."
            )
