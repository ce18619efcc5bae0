"""Workers imported from the work system's CSV: all or none, each bad line reported, languages kept."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.models import Team, WorkerProfile

HEADER = "external_id,username,email,first_name,last_name,team,time_zone,language\n"


def upload(client, text: str, name="workers.csv"):
    return client.post(reverse("workers_import"), {"file": SimpleUploadedFile(name, text.encode())})


def test_an_admin_imports_workers_with_their_languages(client, admin_user):
    Team.objects.create(name="Kolkata annotators", time_zone="Asia/Kolkata")
    client.force_login(admin_user)
    assert client.get(reverse("workers_import")).status_code == 200
    response = upload(
        client,
        HEADER
        + "kol-001,sita,sita@ladder.example,Sita,Devi,Kolkata annotators,Asia/Kolkata,bn\n"
        + "tnr-002,mialy,mialy@ladder.example,Mialy,Rabe,,Indian/Antananarivo,mg\n"
        + "nbo-003,wanjiru,wanjiru@ladder.example,,,,Africa/Nairobi,sw-KE\n"
        + "x-004,pat,pat@ladder.example,,,,,zz\n",
    )
    assert response.status_code == 302
    languages = dict(WorkerProfile.objects.values_list("external_id", "language"))
    # A regional variant of a shipped language is that language; an unknown code is English.
    assert languages == {"kol-001": "bn", "tnr-002": "mg", "nbo-003": "sw", "x-004": "en"}
    sita = WorkerProfile.objects.get(external_id="kol-001")
    assert sita.team.name == "Kolkata annotators" and sita.time_zone == "Asia/Kolkata"
    assert not sita.user.has_usable_password()
    assert sita.user.groups.filter(name="Workers").exists()
    assert WorkerProfile.objects.get(external_id="x-004").time_zone == "UTC"


def test_one_bad_line_stores_nothing_and_every_bad_line_is_named(client, admin_user, make_worker):
    make_worker("taken", external_id="ext-taken")
    client.force_login(admin_user)
    response = upload(
        client,
        HEADER
        + "ok-1,fine,fine@ladder.example,,,,,fr\n"
        + "ext-taken,someone,someone@ladder.example,,,,,\n"
        + "ok-2,taken,other@ladder.example,,,,,\n"
        + "ok-3,bad name!,not-an-email,,,No such team,Mars/Olympus,\n"
        + "ok-1,again,again@ladder.example,,,,,\n"
        + ",,,,,,,\n",
    )
    assert response.status_code == 422
    page = response.content.decode()
    for expected in (
        "Line 3: A worker with external_id ext-taken exists.",
        "Line 4: The username taken is taken.",
        "Line 5: bad name! is not a valid username.",
        "Line 5: not-an-email is not an email address.",
        "Line 5: There is no team named No such team.",
        "Line 5: Mars/Olympus is not a time zone.",
        "Line 6: external_id ok-1 appears twice.",
        "Line 7: external_id is empty.",
    ):
        assert expected in page, expected
    assert set(WorkerProfile.objects.values_list("external_id", flat=True)) == {"ext-taken"}


def test_files_out_of_bounds_are_refused(client, admin_user):
    client.force_login(admin_user)
    assert "The header lacks: email." in upload(client, "external_id,username\na,b\n").content.decode()
    assert (
        "The file is not UTF-8 text."
        in client.post(
            reverse("workers_import"), {"file": SimpleUploadedFile("w.csv", b"\xff\xfe\x00bad")}
        ).content.decode()
    )
    big = HEADER + "".join(f"id-{n},user{n},u{n}@ladder.example,,,,,\n" for n in range(2001))
    assert "At most 2000 workers a file." in upload(client, big).content.decode()
    huge = HEADER + ("x" * 1_000_001)
    assert "larger than 1 MB" in upload(client, huge).content.decode()
    assert not WorkerProfile.objects.exists()


def test_only_those_who_may_add_workers_can_import(client, assistant, worker):
    client.force_login(assistant)
    response = upload(client, HEADER + "a,b,b@ladder.example,,,,,\n")
    assert response.status_code in (302, 403)
    assert not WorkerProfile.objects.filter(external_id="a").exists()


def test_sites_and_join_days_are_imported_and_bad_days_refused(client, admin_user):
    client.force_login(admin_user)
    header = "external_id,username,email,site,joined_on\n"
    refused = upload(
        client,
        header
        + "s-1,first,first@ladder.example,Antananarivo,2025-02-30\n"
        + "s-2,second,second@ladder.example,Kolkata,1989-12-31\n"
        + f"s-3,third,third@ladder.example,{'x' * 81},\n",
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Line 2: joined_on 2025-02-30 is not a day written YYYY-MM-DD." in page
    assert "Line 3: Choose a join day between 1 January 1990 and a year from today." in page
    assert "Line 4: site is longer than 80 characters." in page
    assert not WorkerProfile.objects.exists()

    done = upload(
        client,
        header
        + "s-1,first,first@ladder.example,Antananarivo,2025-02-28\n"
        + "s-2,second,second@ladder.example,,\n",
    )
    assert done.status_code == 302
    first, second = WorkerProfile.objects.order_by("external_id")
    assert (first.site, str(first.joined_on)) == ("Antananarivo", "2025-02-28")
    assert (second.site, second.joined_on) == ("", timezone.localdate())  # the import's day
