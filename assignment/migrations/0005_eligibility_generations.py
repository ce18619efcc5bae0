from django.db import migrations


def stale_to_chains(apps, schema_editor):
    TaskType = apps.get_model("assignment", "TaskType")
    RecomputeChain = apps.get_model("lms", "RecomputeChain")
    for pk in TaskType.objects.filter(eligibility_stale=True).values_list("pk", flat=True):
        RecomputeChain.objects.update_or_create(key=f"eligibility:task-type:{pk}", defaults={"generation": 1})


class Migration(migrations.Migration):
    dependencies = [
        ("assignment", "0004_workresult_assignment__receive_b700aa_idx"),
        ("lms", "0007_recompute_chain"),
    ]

    operations = [
        migrations.RunPython(stale_to_chains, migrations.RunPython.noop),
        migrations.RemoveField(model_name="tasktype", name="eligibility_stale"),
    ]
