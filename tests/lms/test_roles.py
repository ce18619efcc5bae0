from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, WorkflowPage

from courses.models import FAQ
from courses.services import catalogue_setup
from lms import roles


def test_every_role_exists_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_NAMES)


def test_catalogue_setup_gives_page_permissions_and_expert_review(catalogue):
    catalogue_setup(catalogue=catalogue)  # twice: idempotent

    def page_perms(role):
        return set(
            GroupPagePermission.objects.filter(group__name=role, page=catalogue).values_list(
                "permission__codename", flat=True
            )
        )

    assert page_perms(roles.ASSISTANTS) == {"add_page", "change_page"}
    assert page_perms(roles.EXPERTS) == {"add_page", "change_page", "publish_page"}
    assert not page_perms(roles.WORKERS)
    workflow = WorkflowPage.objects.get(page=catalogue).workflow
    assert workflow.name == "Expert review"
    assert [task.specific.groups.get().name for task in workflow.tasks] == [roles.EXPERTS]
    assert FAQ().get_workflow() == workflow


def test_workers_have_no_admin_permission(worker):
    assert not worker.user.has_perm("wagtailadmin.access_admin")
    assert not worker.user.is_staff


def test_authoring_roles_reach_skill_checks_but_only_experts_publish(assistant, expert, db):
    for user in (assistant, expert):
        assert user.has_perm("assessments.change_bankquestion")
        assert user.has_perm("assessments.change_assessment")
        assert not user.has_perm("assessments.add_badgeaward")
    assert not assistant.has_perm("assessments.publish_assessment")
    assert expert.has_perm("assessments.publish_assessment")
    assert expert.has_perm("assessments.publish_bankquestion")


def test_a_permission_a_role_no_longer_has_is_taken_away_by_the_sync(db):
    from django.contrib.auth.models import Permission

    stale = Permission.objects.get(content_type__app_label="assignment", codename="change_tasktype")
    assistants = Group.objects.get(name=roles.ASSISTANTS)
    assistants.permissions.add(stale)  # granted by an earlier version of the roles

    roles.roles_sync_groups()

    assert not assistants.permissions.filter(pk=stale.pk).exists()
    assert assistants.permissions.filter(codename="change_faq").exists()


def test_authors_upload_pictures_for_lessons_and_checks(client, assistant, expert, worker, catalogue):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    for user in (assistant, expert):
        client.force_login(user)
        assert client.get(reverse("wagtailimages:add")).status_code == 200
        buffer = BytesIO()
        PILImage.new("RGB", (40, 30), (10, 120, 40)).save(buffer, format="PNG")
        upload = SimpleUploadedFile(f"{user.username}.png", buffer.getvalue(), content_type="image/png")
        response = client.post(reverse("wagtailimages:add"), {"title": user.username, "file": upload})
        assert response.status_code == 302, response.content.decode()[:500]
    assert set(Image.objects.values_list("title", flat=True)) == {"assistant", "expert"}
    client.force_login(worker.user)
    assert client.get(reverse("wagtailimages:add")).status_code in (302, 403)
