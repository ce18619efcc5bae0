"""The five roles as groups, with the Wagtail permissions each needs. Safe to run any number of times."""

from django.contrib.auth.models import Group, Permission

WORKERS = "Workers"
ASSISTANTS = "Learning assistants"
EXPERTS = "Subject-matter experts"
MANAGERS = "Managers"
ADMINS = "Admins"
ROLE_NAMES = [WORKERS, ASSISTANTS, EXPERTS, MANAGERS, ADMINS]

_AUTHORING = [
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "courses.add_faq",
    "courses.change_faq",
    "courses.view_faq",
    "courses.view_question",
    "courses.change_question",
    "assessments.add_skillbadge",
    "assessments.change_skillbadge",
    "assessments.view_skillbadge",
    "assessments.add_questionbank",
    "assessments.change_questionbank",
    "assessments.view_questionbank",
    "assessments.add_bankquestion",
    "assessments.change_bankquestion",
    "assessments.view_bankquestion",
    "assessments.add_assessment",
    "assessments.change_assessment",
    "assessments.view_assessment",
    "assessments.view_attempt",
    "assessments.view_badgeaward",
    "wagtail_localize.submit_translation",  # start translating a course, lesson or FAQ
]
_PUBLISHING = ["courses.publish_faq", "assessments.publish_bankquestion", "assessments.publish_assessment"]
_OPERATIONS = [
    "assessments.change_attempt",  # regrade
    "assessments.add_badgeaward",  # recognition of prior learning
    "assessments.change_badgeaward",  # revoke
    *[
        f"assignment.{action}_{model}"
        for model in (
            "tasktype",
            "apiclient",
            "webhookendpoint",
            "webhookdelivery",
            "xapistatement",
            "suspension",
            "appeal",
        )
        for action in ("add", "change", "view")
    ],
]
MODEL_PERMISSIONS: dict[str, list[str]] = {
    WORKERS: [],
    ASSISTANTS: _AUTHORING,
    EXPERTS: [*_AUTHORING, *_PUBLISHING],
    MANAGERS: [],
    ADMINS: [
        *_AUTHORING,
        *_PUBLISHING,
        *_OPERATIONS,
        "courses.delete_faq",
        "lms.add_team",
        "lms.change_team",
        "lms.view_team",
        "lms.add_workerprofile",
        "lms.change_workerprofile",
        "lms.view_workerprofile",
        "lms.view_workerfacts",
        "lms.change_workerfacts",
        "lms.view_impact",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
    ],
}
# Page permissions on every course catalogue: assistants draft and submit, experts publish.
PAGE_PERMISSIONS: dict[str, list[str]] = {
    ASSISTANTS: ["add_page", "change_page"],
    EXPERTS: ["add_page", "change_page", "publish_page"],
    ADMINS: ["add_page", "change_page", "publish_page", "delete_page"],
}


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


# Wagtail checks images and documents against collection permissions: authors get them on the root
# collection (and so on every collection below it).
COLLECTION_PERMISSIONS = [
    p for p in _AUTHORING if p.startswith(("wagtailimages.", "wagtaildocs."))
]  # fmt: skip


def roles_sync_groups() -> dict[str, Group]:
    """Create the role groups and give each exactly its model permissions: a removed one is taken away."""
    groups = {}
    for name in ROLE_NAMES:
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [p for p in map(_permission, MODEL_PERMISSIONS[name]) if p]
        group.permissions.set(permissions)
        groups[name] = group
    _collection_permissions_sync(groups)
    return groups


def _collection_permissions_sync(groups: dict[str, Group]) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    wanted = [p for p in map(_permission, COLLECTION_PERMISSIONS) if p]
    for name, group in groups.items():
        authoring = set(COLLECTION_PERMISSIONS) <= set(MODEL_PERMISSIONS[name])
        kept = GroupCollectionPermission.objects.filter(group=group, collection=root)
        if not authoring:
            kept.delete()
            continue
        kept.exclude(permission__in=wanted).delete()
        for permission in wanted:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


def roles_sync_after_migrate(**kwargs) -> None:
    roles_sync_groups()
