import base64
import io
import socket

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from sasaeai.core.pdf import no_network_fetcher


def test_a_pdf_takes_data_images_and_refuses_any_other_url_without_a_request():
    from weasyprint import HTML

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "orange").save(buffer, "PNG")
    inline = base64.b64encode(buffer.getvalue()).decode()
    html = f'<p>ささえ愛</p><img src="data:image/png;base64,{inline}">'
    pdf = HTML(string=html, url_fetcher=no_network_fetcher(), base_url=".").write_pdf()
    tracked = html + f'<img src="http://127.0.0.1:{port}/tracker.png">'
    with pytest.raises(FatalURLFetchingError):
        HTML(string=tracked, url_fetcher=no_network_fetcher(), base_url=".").write_pdf()
    try:
        server.accept()
        contacted = True
    except TimeoutError:
        contacted = False
    finally:
        server.close()
    assert not contacted
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "ささえ愛" in page.extract_text()
    assert len(page.images) == 1
