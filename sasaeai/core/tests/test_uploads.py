import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sasaeai.core import uploads


def test_a_signed_upload_comes_back_only_to_whom_it_was_bound():
    token = uploads.sign_upload(salt="t", name="表.csv", content=b"a,b\n1,2\n", user=1, event=7)
    name, data = uploads.open_upload(token, salt="t", user=1, event=7)
    assert (name, data.read()) == ("表.csv", b"a,b\n1,2\n")
    with pytest.raises(uploads.UploadMismatch):
        uploads.open_upload(token, salt="t", user=2, event=7)
    with pytest.raises(uploads.PreviewExpired):
        uploads.open_upload(token[:-2] + "xx", salt="t", user=1, event=7)
    with pytest.raises(uploads.PreviewExpired):
        uploads.open_upload(token, salt="another import", user=1, event=7)


def test_a_file_too_large_to_carry_is_refused():
    big = SimpleUploadedFile("big.csv", b"x" * (uploads.MAX_BYTES + 1))
    with pytest.raises(ValidationError):
        uploads.read_upload(big)
    assert uploads.read_upload(SimpleUploadedFile("ok.csv", b"ok")) == b"ok"
