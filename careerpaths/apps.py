from django.apps import AppConfig


class CareerpathsConfig(AppConfig):
    name = "careerpaths"
    verbose_name = "Career paths"
