from wagtail import hooks

from assessments.viewsets import SkillChecksGroup


@hooks.register("register_admin_viewset")
def register_skill_checks():
    return SkillChecksGroup()
