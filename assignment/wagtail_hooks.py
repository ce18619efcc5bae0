from wagtail import hooks

from assignment.viewsets import AssignmentGroup


@hooks.register("register_admin_viewset")
def register_assignment():
    return AssignmentGroup()
