"""A readiness requirement in the reader's words: stored as numbers, worded when shown."""

from django.utils.translation import gettext, ngettext

from assessments.models import SkillBadge


def describe(item: dict) -> str:
    """One requirement of a career level (from `CareerStatus.requirements`), in the active language.
    A record written before requirements kept their numbers shows its stored English label."""
    kind = item.get("kind")
    if kind == "approval":
        return gettext("A manager's approval")
    if kind == "badges" and "needed" in item:
        return ngettext("%(held)s of %(needed)s badge", "%(held)s of %(needed)s badges", item["needed"]) % {
            "held": item["held"],
            "needed": item["needed"],
        }
    if kind == "streak" and "need" in item:
        return ngettext(
            "Learning streak %(weeks)s of %(need)s week",
            "Learning streak %(weeks)s of %(need)s weeks",
            item["need"],
        ) % {"weeks": item["weeks"], "need": item["need"]}
    if kind == "accuracy" and "need" in item:
        if item["percent"] is None:
            return ngettext(
                "Work accuracy %(need)s%%: no work reported in %(days)s day",
                "Work accuracy %(need)s%%: no work reported in %(days)s days",
                item["days"],
            ) % {"need": item["need"], "days": item["days"]}
        return gettext("Work accuracy %(percent)s%% of %(need)s%% (%(tasks)s tasks, %(days)s days)") % {
            "percent": item["percent"],
            "need": item["need"],
            "tasks": item["tasks"],
            "days": item["days"],
        }
    return item.get("label", "")


def missing_badge_names(item: dict) -> list[str]:
    """The badges still missing, named in the active language."""
    slugs = item.get("missing_slugs")
    if not slugs:
        return list(item.get("missing", []))
    badges = SkillBadge.objects.filter(slug__in=slugs).order_by("name")
    return [badge.translated("name") for badge in badges]
