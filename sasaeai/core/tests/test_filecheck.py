import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sasaeai.core.filecheck import check_image, check_pdf

MB = 1024 * 1024


def image_bytes(image_format="JPEG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, image_format)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def code_of(check, file, **kwargs):
    with pytest.raises(ValidationError) as raised:
        check(file, **kwargs)
    return raised.value.code


def test_real_images_pass_and_the_upload_is_rewound():
    for image_format, name in [("JPEG", "a.jpg"), ("PNG", "b.PNG"), ("WEBP", "c.webp")]:
        file = upload(name, image_bytes(image_format))
        assert check_image(file, max_bytes=MB) == image_format
        assert file.read(2) == image_bytes(image_format)[:2]


def test_a_text_file_named_jpg_is_not_an_image():
    assert code_of(check_image, upload("photo.jpg", b"hello"), max_bytes=MB) == "not_an_image"


def test_a_png_named_jpg_must_say_png():
    file = upload("photo.jpg", image_bytes("PNG"))
    assert code_of(check_image, file, max_bytes=MB) == "wrong_extension"


def test_a_gif_is_not_accepted():
    assert code_of(check_image, upload("a.gif", image_bytes("GIF")), max_bytes=MB) == "not_an_image"


def test_too_large_and_empty_files_are_refused():
    file = upload("big.jpg", image_bytes("JPEG", (400, 400)))
    assert code_of(check_image, file, max_bytes=100) == "too_large"
    assert code_of(check_image, upload("empty.jpg", b""), max_bytes=MB) == "empty"


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded():
    file = upload("bomb.png", image_bytes("PNG", (8000, 6000)))
    assert code_of(check_image, file, max_bytes=10 * MB) == "too_many_pixels"


def test_a_pdf_passes_and_other_content_does_not():
    from weasyprint import HTML

    pdf = HTML(string="<p>ささえ愛</p>").write_pdf()
    assert check_pdf(upload("letter.pdf", pdf), max_bytes=MB) == 1
    assert code_of(check_pdf, upload("letter.pdf", b"%PDF-1.7 broken"), max_bytes=MB) == "not_a_pdf"
    assert code_of(check_pdf, upload("letter.pdf", image_bytes()), max_bytes=MB) == "not_a_pdf"
    assert code_of(check_pdf, upload("letter.txt", pdf), max_bytes=MB) == "wrong_extension"
    assert code_of(check_pdf, upload("letter.pdf", pdf), max_bytes=100) == "too_large"
