"""Workers from the work-assignment system's export: one CSV row a worker, all or none.

Columns (a header row names them, in any order): `external_id`, `username`, `email`, and optionally
`first_name`, `last_name`, `team` (an existing team's name), `time_zone` (e.g. Asia/Kolkata),
`language` (a shipped language code; any other code is English, as everywhere in Ladder), `site` (where
the worker works, e.g. Antananarivo) and `joined_on` (the day they joined the company, YYYY-MM-DD;
the import's day when empty). Every row is
checked first; one bad row stores nothing and every bad row is reported with its line. The imported
workers have no password yet: they choose one from a reset link, or a manager gives them one.
"""

import csv
import io
import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from lms.languages import language_supported
from lms.models import Team, WorkerProfile, join_day_problem
from lms.services import worker_create

MAX_BYTES = 1_000_000
MAX_ROWS = 2000
REQUIRED = ("external_id", "username", "email")
OPTIONAL = ("first_name", "last_name", "team", "time_zone", "language", "site", "joined_on")
FIELD_MAX = {
    "external_id": 64, "username": 150, "email": 254, "first_name": 150, "last_name": 150, "site": 80,
}  # fmt: skip


class ImportRefused(Exception):
    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__(_("Nothing was imported: %(count)s problems.") % {"count": len(errors)})


@dataclass(frozen=True)
class Row:
    line: int
    external_id: str
    username: str
    email: str
    first_name: str
    last_name: str
    team: Team | None
    time_zone: str
    language: str
    site: str
    joined_on: date | None


def _read(data: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused([(0, _("The file is larger than 1 MB."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused([(0, _("The file is not UTF-8 text."))]) from error
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRefused([(1, _("The header lacks: %(names)s.") % {"names": ", ".join(missing)})])
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise ImportRefused([(reader.line_num, _("At most %(max)s workers a file.") % {"max": MAX_ROWS})])
        rows.append((reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}))
    if not rows:
        raise ImportRefused([(1, _("The file has no workers."))])
    return header, rows


def _check(line: int, raw: dict, teams: dict[str, Team], seen: dict[str, set]) -> tuple[Row | None, list]:
    errors = []
    for name in REQUIRED:
        if not raw.get(name):
            errors.append((line, _("%(field)s is empty.") % {"field": name}))
    for name, limit in FIELD_MAX.items():
        if len(raw.get(name, "")) > limit:
            errors.append(
                (line, _("%(field)s is longer than %(max)s characters.") % {"field": name, "max": limit})
            )
    if raw.get("username"):
        try:
            UnicodeUsernameValidator()(raw["username"])
        except ValidationError:
            errors.append((line, _("%(value)s is not a valid username.") % {"value": raw["username"]}))
    if raw.get("email"):
        try:
            validate_email(raw["email"])
        except ValidationError:
            errors.append((line, _("%(value)s is not an email address.") % {"value": raw["email"]}))
    for name in ("external_id", "username"):
        value = raw.get(name, "")
        if value and value in seen[name]:
            errors.append((line, _("%(field)s %(value)s appears twice.") % {"field": name, "value": value}))
        seen[name].add(value)
    team = None
    if raw.get("team"):
        team = teams.get(raw["team"])
        if team is None:
            errors.append((line, _("There is no team named %(value)s.") % {"value": raw["team"]}))
    time_zone = raw.get("time_zone") or "UTC"
    if time_zone not in zoneinfo.available_timezones():
        errors.append((line, _("%(value)s is not a time zone.") % {"value": time_zone}))
    joined_on = None
    if raw.get("joined_on"):
        try:
            joined_on = date.fromisoformat(raw["joined_on"])
        except ValueError:
            errors.append(
                (
                    line,
                    _("joined_on %(value)s is not a day written YYYY-MM-DD.") % {"value": raw["joined_on"]},
                )
            )
        else:
            if problem := join_day_problem(joined_on):
                errors.append((line, str(problem)))
    if errors:
        return None, errors
    return (
        Row(
            line=line,
            external_id=raw["external_id"],
            username=raw["username"],
            email=raw["email"],
            first_name=raw.get("first_name", ""),
            last_name=raw.get("last_name", ""),
            team=team,
            time_zone=time_zone,
            language=language_supported(raw.get("language")),
            site=raw.get("site", ""),
            joined_on=joined_on,
        ),
        [],
    )


@transaction.atomic
def workers_import(*, data: bytes) -> list[WorkerProfile]:
    """Create every worker of the CSV, or none (raises `ImportRefused` with each bad line)."""
    _header, raw_rows = _read(data)
    teams = {team.name: team for team in Team.objects.all()}
    seen: dict[str, set] = {"external_id": set(), "username": set()}
    rows, errors = [], []
    for line, raw in raw_rows:
        row, row_errors = _check(line, raw, teams, seen)
        errors += row_errors
        if row is not None:
            rows.append(row)
    taken_ids = set(
        WorkerProfile.objects.filter(external_id__in=[r.external_id for r in rows]).values_list(
            "external_id", flat=True
        )
    )
    taken_names = set(
        get_user_model()
        .objects.filter(username__in=[r.username for r in rows])
        .values_list("username", flat=True)
    )
    for row in rows:
        if row.external_id in taken_ids:
            errors.append(
                (row.line, _("A worker with external_id %(value)s exists.") % {"value": row.external_id})
            )
        if row.username in taken_names:
            errors.append((row.line, _("The username %(value)s is taken.") % {"value": row.username}))
    if errors:
        raise ImportRefused(sorted(errors))
    return [
        worker_create(
            username=row.username,
            email=row.email,
            password=None,
            external_id=row.external_id,
            team=row.team,
            time_zone=row.time_zone,
            language=row.language,
            first_name=row.first_name,
            last_name=row.last_name,
            site=row.site,
            joined_on=row.joined_on,
        )
        for row in rows
    ]
