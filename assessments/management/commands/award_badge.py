from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import openbadges, services
from assessments.models import SkillBadge
from lms.models import WorkerProfile


class Command(BaseCommand):
    help = "Award a badge by hand (recognition of prior learning) and print its public assertion URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The worker's login name.")
        parser.add_argument("badge_slug")
        parser.add_argument(
            "--reason", required=True, help="Why the worker gets the badge without the check."
        )
        parser.add_argument(
            "--by", default="admin", help="The login recorded as awarding it (default: admin)."
        )

    def handle(self, *args, username: str, badge_slug: str, reason: str, by: str, **options) -> None:
        worker = WorkerProfile.objects.filter(user__username=username).select_related("user").first()
        if worker is None:
            raise CommandError(f"No worker with the login {username!r}.")
        badge = SkillBadge.objects.filter(slug=badge_slug).first()
        if badge is None:
            known = ", ".join(SkillBadge.objects.values_list("slug", flat=True))
            raise CommandError(f"No badge {badge_slug!r}. Known: {known}")
        awarder = get_user_model().objects.filter(username=by).first()
        if awarder is None:
            raise CommandError(f"No user {by!r} to record as the awarder; pass --by.")
        try:
            award = services.badge_award(worker=worker, badge=badge, by=awarder, reason=reason)
        except services.AssessmentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(openbadges.assertion_url(award))
