from django.utils.translation import gettext as _


class AssessmentError(Exception):
    """A request the rules refuse; the message is safe to show the worker."""


class ResponseErrors(AssessmentError):
    """Answers that could not be read, by question position; nothing was saved."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_("Some answers could not be read. Please check them."))
        self.errors = errors
