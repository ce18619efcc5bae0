"""Which language a page speaks: the shipped languages, and the choice from a code or a browser."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation.trans_real import parse_accept_lang_header

# Longer Accept-Language headers than this are cut: nobody lists more languages than fit in it.
MAX_ACCEPT_LANGUAGE = 500


def language_codes() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def _shipped(code: str | None) -> str | None:
    """`code` if Ladder ships it (a regional variant such as fr-CA counts as fr), else None."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")[:16]
    codes = language_codes()
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else None


def language_supported(code: str | None) -> str:
    """The shipped language for a code from a form, a profile or an import; anything else is English."""
    return _shipped(code) or settings.LANGUAGE_CODE


def language_from_browser(request: HttpRequest) -> str:
    """Before login: the language chosen on this browser (a cookie), else the first shipped language of
    Accept-Language, else English."""
    chosen = _shipped(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    header = request.headers.get("Accept-Language", "")
    if len(header) > MAX_ACCEPT_LANGUAGE:  # cut between two languages, so what is left still parses
        header = header[:MAX_ACCEPT_LANGUAGE].rsplit(",", 1)[0]
    for code, _quality in parse_accept_lang_header(header):
        if code != "*" and (shipped := _shipped(code)):
            return shipped
    return settings.LANGUAGE_CODE
