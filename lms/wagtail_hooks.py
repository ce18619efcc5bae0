from wagtail import hooks

from lms.viewsets import PeopleGroup


@hooks.register("register_admin_viewset")
def register_people():
    return PeopleGroup()
