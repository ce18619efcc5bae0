"""Signing in: Django's model backend, with the worker profile read in the same query as the user.

Every signed-in page asks who the worker is (their time zone and language are set before the view
runs): reading the profile with the user saves a query on each of them.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class WorkerModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("worker").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
