"""On SQLite, the database file and its write-ahead log keep no earlier version of a pool.

The suite's SQLite database lives in memory; this test runs a real installation's database
file in a child process and reads its bytes, as an operator with a backup of `var/` would.
"""

import json
import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import datetime, json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
from vitrine.portal.models import HomePage
from vitrine.surveys.forms import Cleaned
from vitrine.surveys.models import PendingResponse, SurveyPage, SurveyQuestion
from vitrine.surveys.services import response_submit

now = timezone.now()
survey = SurveyPage(title="Umfrage", intro="Wie zufrieden sind Sie?",
                    opens_at=now - datetime.timedelta(days=1),
                    closes_at=now + datetime.timedelta(days=1))
survey.questions = [SurveyQuestion(kind="text", text="Was noch?")]
HomePage.objects.first().add_child(instance=survey)
survey = SurveyPage.objects.get(pk=survey.pk)
question = survey.ordered_questions[0]
for index in range(12):
    answer = Cleaned(question=question, text=f"Geheimtext {index:02d}")
    response_submit(survey=survey, answers=[answer], audience_slugs=["management"])
waiting = [a[2] for row in PendingResponse.objects.all() for a in row.answers]
# What a backup taken now would hold: the file and its write-ahead log, connection still open.
from django.conf import settings
from pathlib import Path
name = Path(settings.DATABASES["default"]["NAME"])
raw = name.read_bytes()
wal = Path(str(name) + "-wal")
raw += wal.read_bytes() if wal.exists() else b""
counts = {f"Geheimtext {i:02d}": raw.count(f'"Geheimtext {i:02d}"]'.encode()) for i in range(12)}
print(json.dumps({"waiting": waiting, "counts": counts}))
"""


@pytest.mark.skipif(
    "os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="SQLite's own files"
)
def test_the_sqlite_file_holds_each_waiting_answer_once(tmp_path):
    database = tmp_path / "vitrine.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "vitrine.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    waiting = set(seen["waiting"])
    assert len(waiting) == 7  # 12 answers: 5 landed at the tenth, 7 wait
    for text, found in seen["counts"].items():
        # As the pool stores it (JSON): once for a waiting answer, never for a landed one.
        assert found == (1 if text in waiting else 0), (text, found)
