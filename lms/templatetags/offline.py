from django import template

from lms.offline import status_words

register = template.Library()


@register.simple_tag
def queue_words() -> dict[str, str]:
    """The write queue's words for the page frame, in the reader's language."""
    return status_words()
