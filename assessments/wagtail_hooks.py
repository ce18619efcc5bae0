from wagtail import hooks

from assessments import selectors
from assessments.viewsets import SkillChecksGroup


@hooks.register("course_extras")
def course_skill_check(*, worker, course) -> dict:
    """The course's final skill check and where the worker stands with it."""
    assessment = selectors.assessment_for_course(course_id=course.pk)
    if assessment is None:
        return {}
    status = selectors.check_status(worker=worker, assessment=assessment) if worker else None
    return {"skill_check": assessment, "skill_check_status": status}


@hooks.register("register_admin_viewset")
def register_skill_checks():
    return SkillChecksGroup()
