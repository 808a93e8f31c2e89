"""Every upload of the project is checked by its content and size before anything is stored:
every form's file field is a ``CheckedFileField``; workbooks that would unpack to far more than
they are (zip bombs) are refused before python-calamine opens them; a renamed text file and an
oversized file get a clear message in Japanese."""

from __future__ import annotations

import importlib
import io
import pkgutil
import struct
import zipfile
import zlib
from unittest import mock

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

import sasaeai
from sasaeai.core import filecheck
from sasaeai.core.tabular import TableError, check_table, open_table, write_xlsx
from sasaeai.core.tabular.archive import check_archive
from sasaeai.core.uploads import CheckedFileField

MB = 1024 * 1024


# Every form -----------------------------------------------------------------------------------


def project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(sasaeai.__path__, "sasaeai."):
        if not {"tests", "migrations", "testing", "management"} & set(module.name.split(".")):
            importlib.import_module(module.name)
    found, stack = [], [forms.Form, forms.ModelForm]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.__module__.startswith("sasaeai.") and ".tests." not in cls.__module__:
                found.append(cls)
    return found


def unchecked_file_fields(form_classes) -> list[str]:
    return [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in form_classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.FileField) and not isinstance(field, CheckedFileField)
    ]


def test_the_walk_finds_an_unchecked_file_field():
    class Careless(forms.Form):
        file = forms.FileField()

    assert unchecked_file_fields([Careless]) == [f"{__name__}.{Careless.__qualname__}.file"]


def test_every_file_field_of_every_form_is_checked_by_content_and_size():
    found = project_forms()
    names = {cls.__name__ for cls in found}
    assert {"PhotoForm", "NewsPostForm", "ImportUploadForm", "AnswersUploadForm"} <= names
    assert unchecked_file_fields(found) == []


def test_no_model_with_a_file_is_editable_in_the_admin():
    """The admin's forms are made from the models: a file there would skip the checks."""
    from django.contrib import admin
    from django.db.models import FileField

    with_files = [
        model.__name__
        for model in admin.site._registry
        if any(isinstance(field, FileField) for field in model._meta.get_fields())
    ]
    assert with_files == []


# Zip bombs ------------------------------------------------------------------------------------


def workbook() -> bytes:
    out = io.BytesIO()
    write_xlsx(["名前", "人数"], [["岡山", 3]], out)
    return out.getvalue()


def with_part(base: bytes, name: str, size: int, **options) -> bytes:
    """The workbook with one more part of ``size`` zero bytes, deflated."""
    out = io.BytesIO(base)
    with (
        zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as part,
    ):
        zeros = bytes(MB)
        for _ in range(size // MB):
            part.write(zeros)
    return out.getvalue()


class ZerosDeflater:
    """Deflates megabytes of zeros fast: after a full flush deflate starts afresh, so every
    megabyte of zeros packs to the same bytes, made once."""

    def __init__(self) -> None:
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.block = deflate.compress(bytes(MB)) + deflate.flush(zlib.Z_FULL_FLUSH)
        self.tail = deflate.flush()

    def compress(self, data: bytes) -> bytes:
        assert data == bytes(MB)
        return self.block

    def flush(self) -> bytes:
        return self.tail


@pytest.fixture(scope="module")
def gigabyte_bomb() -> bytes:
    """A real workbook with a part of 1 GB of zeros (about 1 MB packed; its CRC is real)."""
    base = workbook()
    with mock.patch("zipfile._get_compressor", return_value=ZerosDeflater()):
        return with_part(base, "xl/worksheets/sheet9.xml", 1024 * MB)


def refusal(data: bytes, name: str = "名簿.xlsx") -> TableError:
    with pytest.raises(TableError) as caught, translation.override("ja"):
        check_table(io.BytesIO(data), filename=name)
    return caught.value


def test_a_real_workbook_passes():
    assert check_table(io.BytesIO(workbook()), filename="名簿.xlsx") == "xlsx"


def test_a_gigabyte_bomb_is_refused_before_calamine_opens_it(gigabyte_bomb):
    assert len(gigabyte_bomb) < 3 * MB
    error = refusal(gigabyte_bomb)
    assert error.code == "too_much_unpacked"
    with translation.override("ja"):
        assert "展開" in str(error) and "名簿.xlsx" in str(error)
    with pytest.raises(TableError):
        open_table(io.BytesIO(gigabyte_bomb), filename="名簿.xlsx")


def test_a_part_packed_far_tighter_than_a_sheet_is_refused():
    error = refusal(with_part(workbook(), "xl/worksheets/sheet9.xml", 20 * MB))
    assert error.code == "too_packed" and error.params["part"] == "xl/worksheets/sheet9.xml"


@override_settings(SASAEAI_XLSX_MAX_RATIO=10_000)
def test_the_ratio_is_a_setting():
    assert check_table(io.BytesIO(with_part(workbook(), "xl/big.xml", 20 * MB)), filename="a")


def test_a_part_that_lies_about_its_size_is_refused():
    honest = with_part(workbook(), "xl/worksheets/sheet9.xml", 4 * MB)
    info = zipfile.ZipFile(io.BytesIO(honest)).getinfo("xl/worksheets/sheet9.xml")
    lying = bytearray(honest)
    # The "uncompressed size" of the part's local header and directory entry: 4 MB → 1 KB.
    struct.pack_into("<I", lying, info.header_offset + 22, 1024)
    end = honest.rfind(b"PK\x05\x06")
    entry = struct.unpack_from("<I", honest, end + 16)[0]
    while honest[entry + 46 : entry + 46 + len(info.orig_filename)] != info.orig_filename.encode():
        names = struct.unpack_from("<HHH", honest, entry + 28)
        entry += 46 + sum(names)
    struct.pack_into("<I", lying, entry + 24, 1024)
    assert zipfile.ZipFile(io.BytesIO(bytes(lying))).getinfo(info.filename).file_size == 1024
    assert refusal(bytes(lying)).code == "damaged"


@override_settings(SASAEAI_XLSX_MAX_PARTS=20)
def test_too_many_parts_are_refused():
    out = io.BytesIO(workbook())
    with zipfile.ZipFile(out, "a") as archive:
        for n in range(30):
            archive.writestr(f"xl/media/image{n}.png", b"x")
    assert refusal(out.getvalue()).code == "too_many_parts"


def test_an_archive_inside_is_refused():
    out = io.BytesIO(workbook())
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/embeddings/inner.zip", workbook())
    assert refusal(out.getvalue()).code == "nested_archive"


def test_an_encrypted_part_is_refused():
    data = bytearray(workbook())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    data[info.header_offset + 6] |= 0x1  # the local header's "encrypted" flag
    central = bytes(data).find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the central directory's flag of the first part
    with pytest.raises(TableError) as caught:
        check_archive(io.BytesIO(bytes(data)), "名簿.xlsx")
    assert caught.value.code == "encrypted_part"


# Renamed and oversized files -----------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("kind", ["image", "pdf", "document"])
def test_a_renamed_text_file_is_refused_in_japanese(kind):
    name = {"image": "写真.jpg", "pdf": "資料.pdf", "document": "資料.docx"}[kind]
    field = CheckedFileField(kind=kind, max_bytes=MB)
    with pytest.raises(ValidationError) as caught, translation.override("ja"):
        field.clean(upload(name, "ただのテキストです\n".encode()))
    with translation.override("ja"):
        message = " ".join(caught.value.messages)
    assert name in message and "ありません" in message


def test_an_oversized_file_is_refused_in_japanese():
    field = CheckedFileField(kind="document", max_bytes=MB)
    with pytest.raises(ValidationError) as caught, translation.override("ja"):
        field.clean(upload("資料.pdf", b"%PDF-1.4" + bytes(2 * MB)))
    with translation.override("ja"):
        assert "資料.pdf" in " ".join(caught.value.messages)
    assert caught.value.error_list[0].code == "too_large"


def test_documents_may_be_pdf_images_or_office_files():
    from sasaeai.testing.factories import pdf_bytes, png_bytes

    assert filecheck.check_document(upload("規約.pdf", pdf_bytes()), max_bytes=MB) == "PDF"
    assert filecheck.check_document(upload("写真.png", png_bytes()), max_bytes=MB) == "PNG"
    assert filecheck.check_document(upload("名簿.xlsx", workbook()), max_bytes=MB) == "Excel"
    with pytest.raises(ValidationError):
        filecheck.check_document(upload("名簿.docx", workbook()), max_bytes=MB)


def test_a_zip_bomb_as_a_document_is_refused():
    bomb = with_part(workbook(), "xl/worksheets/sheet9.xml", 20 * MB)
    with pytest.raises(ValidationError) as caught:
        CheckedFileField(kind="document", max_bytes=20 * MB).clean(upload("名簿.xlsx", bomb))
    assert caught.value.error_list[0].code == "too_packed"


# Through the pages: a clear message, nothing stored ------------------------------------------


@pytest.mark.django_db
def test_a_zip_bomb_uploaded_for_import_is_refused_and_nothing_is_stored(
    client, personas, gigabyte_bomb, settings, tmp_path
):
    from sasaeai.members.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.center)
    response = client.post(
        "/members/io/imports/new/",
        {
            "kind": "corporations",
            "prefecture": "33",
            "file": upload("会員名簿.xlsx", gigabyte_bomb),
        },
    )
    assert response.status_code == 200
    assert "「会員名簿.xlsx」は展開すると" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not any(tmp_path.rglob("*.xlsx"))
