import base64
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
        "DJANGO_ALLOWED_HOSTS": "ladder.example",
        "DATABASE_URL": "postgres://ladder@127.0.0.1:5432/ladder",
        "LADDER_CREDENTIAL_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_a_database_or_hosts():
    base = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOWED_HOSTS")},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64,
    }
    for missing, present in (
        ("DATABASE_URL", "DJANGO_ALLOWED_HOSTS"),
        ("DJANGO_ALLOWED_HOSTS", "DATABASE_URL"),
    ):
        env = {
            **base,
            present: "postgres://ladder@127.0.0.1/ladder" if present == "DATABASE_URL" else "x.example",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert f"Set {missing}" in result.stderr


def test_the_test_settings_leave_no_folders_behind():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    env.pop("DATABASE_URL", None)
    env.pop("LADDER_TEST_DB_KEEP", None)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MEDIA_ROOT, s.STATIC_ROOT, s.DATABASES['default']['TEST']['NAME'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    media, static, database = result.stdout.split()
    for path in (media, static, str(Path(database).parent)):
        assert path.startswith(tempfile.gettempdir()) and not Path(path).exists(), path


def test_production_refuses_to_start_without_a_readable_signing_key(tmp_path):
    base = {
        **{k: v for k, v in os.environ.items() if k != "LADDER_CREDENTIAL_KEY"},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64,
        "DJANGO_ALLOWED_HOSTS": "ladder.example",
        "DATABASE_URL": "postgres://ladder@127.0.0.1/ladder",
        "LADDER_CREDENTIAL_KEY_FILE": str(tmp_path / "key.pem"),
    }

    def start(**extra):
        return subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={**base, **extra},
            capture_output=True,
            text=True,
            check=False,
        )

    missing = start()
    assert missing.returncode != 0 and "credential_key_create" in missing.stderr
    assert "does not exist" in missing.stderr
    assert "not an Ed25519 private key" in start(LADDER_CREDENTIAL_KEY="not-a-key").stderr
    (tmp_path / "key.pem").write_text("-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
    assert "not an Ed25519 private key" in start().stderr
    created = subprocess.run(
        [sys.executable, "manage.py", "credential_key_create"],
        cwd=ROOT,
        env={**base, "LADDER_CREDENTIAL_KEY_FILE": str(tmp_path / "new.pem")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    assert start(LADDER_CREDENTIAL_KEY_FILE=str(tmp_path / "new.pem")).returncode == 0
