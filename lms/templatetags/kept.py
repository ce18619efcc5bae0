"""`{% kept "name" value… [version=v] %}…{% endkept %}`: a part of a page rendered once and kept.

The page frame (its head, the worker's menu, the language list) and a lesson's text, outline and help
are the same for every reader of a language; rendering them was most of a lesson page's time. A kept
part is rendered once per template, name, listed values and active language, and then served from this
process's memory. It may show nothing else of the request: no CSRF token, no user, no path, no time.

`version=` ties a part to the content it shows (`courses.shared_parts.content_version`): a new version
renders it anew, and no version (the shared cache unreachable) renders it every time. A part without
one depends only on the code, its settings and catalogs, which change only when the process restarts.
Entries are dropped least recently used first beyond MAX_ENTRIES; a versioned part after
VERSIONED_SECONDS (as the shared parts it shows: this bounds staleness if a change was made while the
shared cache was unreachable), any other after MAX_SECONDS.
"""

import threading
import time
from collections import OrderedDict

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()
MAX_ENTRIES = 4000
MAX_SECONDS = 3600.0
VERSIONED_SECONDS = 60.0
_kept: OrderedDict[tuple, tuple[float, SafeString]] = OrderedDict()
_lock = threading.Lock()  # the server's threads share the entries: one reorders while another evicts


class KeptNode(template.Node):
    def __init__(self, nodelist, name: str, values: list, version):
        self.nodelist, self.name, self.values, self.version = nodelist, name, values, version

    def render(self, context) -> SafeString:
        if self.version is not None:
            version, seconds = self.version.resolve(context), VERSIONED_SECONDS
            if version is None:
                return self.nodelist.render(context)
        else:
            version, seconds = "", MAX_SECONDS
        key = (
            self.origin.name if self.origin else "",
            self.name,
            get_language(),
            version,
            *(value.resolve(context) for value in self.values),
        )
        now = time.monotonic()
        with _lock:
            entry = _kept.get(key)
            if entry is not None and entry[0] > now:
                _kept.move_to_end(key)
                return entry[1]
        rendered = mark_safe(self.nodelist.render(context))  # noqa: S308 (the template's own output)
        with _lock:
            _kept[key] = (now + seconds, rendered)
            _kept.move_to_end(key)
            while len(_kept) > MAX_ENTRIES:
                _kept.popitem(last=False)
        return rendered


@register.tag
def kept(parser, token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("{% kept %} needs a quoted name first")
    name, values, version = bits[1][1:-1], [], None
    for bit in bits[2:]:
        if bit.startswith("version="):
            version = parser.compile_filter(bit.removeprefix("version="))
        else:
            values.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, name, values, version)
