from wagtail import hooks

from careerpaths.viewsets import CareerGroup


@hooks.register("register_admin_viewset")
def register_career_paths():
    return CareerGroup()
