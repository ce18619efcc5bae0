import hashlib
import json
from datetime import UTC

from django.db import migrations


def rehash(apps, schema_editor):
    """Body hashes now read the period in UTC: the same instant with another offset is the same body."""
    WorkResult = apps.get_model("assignment", "WorkResult")
    rows = WorkResult.objects.select_related("worker", "task_type").order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=2000):
        body = {
            "worker": row.worker.external_id,
            "task_type": row.task_type.code,
            "period_start": row.period_start.astimezone(UTC).isoformat(),
            "period_end": row.period_end.astimezone(UTC).isoformat(),
            "tasks_completed": row.tasks_completed,
            "minutes_worked": row.minutes_worked,
            "accuracy": str(row.accuracy.normalize()),
        }
        row.body_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        batch.append(row)
        if len(batch) == 2000:
            WorkResult.objects.bulk_update(batch, ["body_hash"])
            batch = []
    WorkResult.objects.bulk_update(batch, ["body_hash"])


class Migration(migrations.Migration):
    dependencies = [("assignment", "0005_eligibility_generations")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
