"""The import pages: upload, preview, mapping, commit as a task, progress; center staff only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sasaeai.members.models import Corporation, Facility, ImportJob
from sasaeai.testing import factories
from sasaeai.testing.factories import CorporationFactory

from .test_importing import number, wrong_check_digit

pytestmark = pytest.mark.django_db

HEADER = "法人番号,法人名,フリガナ,市町村,種別協議会,設立年月日"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_upload(*lines: str, header: str = HEADER, name: str = "法人一覧.csv", encoding="utf-8-sig"):
    content = "\r\n".join([header, *lines]).encode(encoding)
    return SimpleUploadedFile(name, content, content_type="text/csv")


def good_lines(count: int = 3) -> list[str]:
    return [f"{number(n)},テスト会{n},,津山市,老人福祉,H29.10.10" for n in range(1, count + 1)]


def upload(client, file, kind: str = "corporations"):
    return client.post(
        reverse("members_io:import-upload"), {"kind": kind, "file": file, "prefecture": "33"}
    )


@pytest.fixture
def center(client, personas):
    client.force_login(personas.center)
    return personas


def test_center_staff_upload_a_file_and_see_its_preview(client, center):
    corporations = Corporation.objects.count()
    response = upload(client, csv_upload(*good_lines()))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members_io:import-preview", args=[job.pk])
    assert Corporation.objects.count() == corporations  # nothing written yet
    assert (job.status, job.total_rows, job.created_count, job.error_count) == (
        "previewed",
        3,
        3,
        0,
    )
    assert job.file.name.startswith("imports/")
    assert job.original_name == "法人一覧.csv"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("members_io:import-commit", args=[job.pk]) in page.content.decode()


def test_the_preview_lists_every_error_row_with_its_column_and_reason(client, center):
    lines = [*good_lines(1), f"{wrong_check_digit(2)},会,,架空市,,", f"{number(3)},会,,津山市,,H99"]
    response = upload(client, csv_upload(*lines))
    job = ImportJob.objects.get()
    assert job.error_count == 3
    page = client.get(response["Location"]).content.decode()
    assert wrong_check_digit(2) in page
    assert "架空市" in page
    assert "設立年月日" in page
    assert "は岡山県の市区町村ではありません" in page
    assert reverse("members_io:import-commit", args=[job.pk]) not in page


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.csv"),
        (b"\xd0\xcf\x11\xe0" + bytes(508) + "EncryptedPackage".encode("utf-16-le"), "secret.xlsx"),
        ("法人番号,法人名\n".encode("utf-16"), "utf16.csv"),
    ],
)
def test_an_unreadable_file_is_refused_on_the_form_and_nothing_is_kept(
    client, center, settings, content, name
):
    response = upload(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert name in str(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_a_file_over_the_size_limit_is_refused(client, center, monkeypatch):
    from sasaeai.members.importing import jobs

    original = jobs.preview_import
    monkeypatch.setattr(
        jobs,
        "preview_import",
        lambda *args, **kwargs: original(*args, **{**kwargs, "max_bytes": 100}),
    )
    response = upload(client, csv_upload(*good_lines(10)))
    assert response.status_code == 200
    assert "法人一覧.csv" in str(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_missing_columns_are_mapped_to_the_files_headers(client, center):
    response = upload(client, csv_upload(f"{number(1)},会,津山市", header="番号,名前,まち"))
    job = ImportJob.objects.get()
    assert job.missing_columns == ["corporate_number", "name", "municipality"]
    page = client.get(response["Location"])
    content = page.content.decode()
    assert '<option value="番号">番号</option>' in content
    assert reverse("members_io:import-commit", args=[job.pk]) not in content
    mapping = {"corporate_number": "番号", "name": "名前", "municipality": "まち"}
    client.post(response["Location"], mapping)
    job.refresh_from_db()
    assert (job.missing_columns, job.created_count, job.error_count) == ([], 1, 0)
    assert job.mapping == {"番号": "corporate_number", "名前": "name", "まち": "municipality"}


def test_commit_runs_the_import_as_a_task_and_shows_the_result(
    client, center, django_capture_on_commit_callbacks
):
    upload(client, csv_upload(*good_lines(3)))
    job = ImportJob.objects.get()
    before = Corporation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members_io:import-commit", args=[job.pk]))
    assert response["Location"] == reverse("members_io:import-progress", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.created_count, job.processed_rows) == ("done", 3, 3)
    assert job.finished_at is not None
    assert Corporation.objects.count() == before + 3
    page = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page
    assert reverse("members:corporation-list") in page


def test_an_import_run_again_after_its_commit_changes_nothing(
    client, center, django_capture_on_commit_callbacks
):
    """A worker killed after the import committed but before the task was marked done runs
    the task again: the job keeps its outcome (3 created) and nothing is imported twice."""
    from sasaeai.members.importing import run_import_job

    upload(client, csv_upload(*good_lines(3)))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members_io:import-commit", args=[job.pk]))
    run_import_job.call(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.unchanged_count) == ("done", 3, 0)


def test_a_file_with_errors_cannot_be_committed(client, center, django_capture_on_commit_callbacks):
    upload(client, csv_upload(*good_lines(1), f"{wrong_check_digit(2)},会,,津山市,,"))
    job = ImportJob.objects.get()
    before = Corporation.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("members_io:import-commit", args=[job.pk]))
    assert response["Location"] == reverse("members_io:import-preview", args=[job.pk])
    assert callbacks == []
    assert Corporation.objects.count() == before


def test_the_commit_checks_the_rows_again(client, center, django_capture_on_commit_callbacks):
    corporation = CorporationFactory(corporate_number=number(1))
    lines = [f"{number(1)},園,,津山市,,"]
    upload(
        client,
        csv_upload(*lines, header="法人番号,施設名,種別,市町村,定員,事業所番号"),
        "facilities",
    )
    job = ImportJob.objects.get()
    assert job.created_count == 1
    corporation.delete()  # gone between the preview and the commit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members_io:import-commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.error_count) == ("failed", 1)
    assert not Facility.objects.exists()
    page = client.get(reverse("members_io:import-progress", args=[job.pk])).content.decode()
    assert number(1) in page


def test_commit_is_post_only(client, center):
    upload(client, csv_upload(*good_lines(1)))
    job = ImportJob.objects.get()
    assert client.get(reverse("members_io:import-commit", args=[job.pk])).status_code == 405


def test_progress_polls_with_htmx_while_running(client, center):
    upload(client, csv_upload(*good_lines(1)))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=10, processed_rows=4)
    url = reverse("members_io:import-progress", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert f'hx-get="{url}"' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'value="4"' in partial
    assert 'id="import-progress"' in partial


def test_a_preview_page_of_a_started_job_goes_to_its_progress(client, center):
    upload(client, csv_upload(*good_lines(1)))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    response = client.get(reverse("members_io:import-preview", args=[job.pk]))
    assert response["Location"] == reverse("members_io:import-progress", args=[job.pk])


# Who may import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["council", "corp_staff", "outsider"])
def test_only_center_staff_may_upload(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("members_io:import-upload")).status_code == 404
    response = upload(client, csv_upload(*good_lines(1)))
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, personas):
    response = client.get(reverse("members_io:import-upload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["council", "corp_staff", "outsider"])
def test_others_cannot_see_or_commit_a_job(
    client, personas, persona, django_capture_on_commit_callbacks
):
    client.force_login(personas.center)
    upload(client, csv_upload(*good_lines(1)))
    job = ImportJob.objects.get()
    client.force_login(getattr(personas, persona))
    for name in ("import-preview", "import-progress"):
        assert client.get(reverse(f"members_io:{name}", args=[job.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members_io:import-commit", args=[job.pk]))
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "previewed"


def test_another_centers_staff_do_not_see_the_job(client, personas):
    tottori = factories.center_staff(factories.CenterFactory(prefecture_id="31", name="鳥取"))
    client.force_login(personas.center)
    upload(client, csv_upload(*good_lines(1)))
    job = ImportJob.objects.get()
    client.force_login(tottori)
    assert client.get(reverse("members_io:import-preview", args=[job.pk])).status_code == 404


def test_a_center_staff_member_imports_only_into_their_prefecture(client, center):
    response = client.post(
        reverse("members_io:import-upload"),
        {"kind": "corporations", "file": csv_upload(*good_lines(1)), "prefecture": "31"},
    )
    assert response.status_code == 200
    assert "prefecture" in response.context["form"].errors
    assert not ImportJob.objects.exists()
