from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# One Bitstring Status List holds this many credentials (the W3C minimum, 16 KB before compression).
STATUS_LIST_SIZE = 131_072

DID_VALIDATOR = RegexValidator(
    r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$",
    _("Give a DID such as did:key:z6Mk… (from your wallet), or leave this empty."),
)


class BadgeCredential(models.Model):
    """One Open Badges 3.0 credential: issued with each award and each renewal, signed after commit.

    Its place in the status lists is its id: list `(id - 1) // STATUS_LIST_SIZE + 1`, bit
    `(id - 1) % STATUS_LIST_SIZE`. The bit is set while the award is revoked.
    """

    award = models.ForeignKey("assessments.BadgeAward", on_delete=models.CASCADE, related_name="credentials")
    issued_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    subject_did = models.CharField(max_length=300, blank=True, validators=[DID_VALIDATOR])
    document = models.JSONField(
        null=True, blank=True, help_text="The credential with its eddsa-rdfc-2022 proof."
    )
    jwt = models.TextField(blank=True, help_text="The same credential as a VC-JOSE compact JWS.")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"credential {self.pk} for {self.award_id}"

    @property
    def status_list(self) -> int:
        return (self.pk - 1) // STATUS_LIST_SIZE + 1

    @property
    def status_index(self) -> int:
        return (self.pk - 1) % STATUS_LIST_SIZE
