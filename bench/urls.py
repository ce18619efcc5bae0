"""The product's URLs plus the yardstick: a bare Django view with a small response."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("lms.urls"))]
