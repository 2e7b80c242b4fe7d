"""Attachments: each allowed type is accepted by its content, everything else is refused with a
message and nothing stored, and a download is always an attachment under its original name."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from urllib.parse import unquote

import pytest
import xlsxwriter
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import func, inspect, select
from werkzeug.datastructures import FileStorage, MultiDict

from core import files, settings
from core.errors import DomainError
from core.extensions import db
from core.files import StoredFile, UploadField, clean_name, save_upload, send_stored
from core.forms import Form
from core.models import AuditEvent, Role, Setting

MB = 1024 * 1024


# --- tiny valid files -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def in_english(app_ctx):
    """The messages are checked in English, whatever the catalogue says in Chinese."""
    with force_locale("en"):
        yield


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def zipped(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES_XML = '<?xml version="1.0"?><Types xmlns="urn:x"/>'


def docx(**extra) -> bytes:
    return zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document><w:body><w:p>合同</w:p></w:body></w:document>",
            **extra,
        }
    )


def xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet().write(0, 0, "顾问")
    workbook.close()
    return buffer.getvalue()


def ofd() -> bytes:
    return zipped(
        {
            "OFD.xml": '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>',
            "Doc_0/Document.xml": "<ofd:Document/>",
        }
    )


def ole(*streams: str) -> bytes:
    """A compound file (the container of .doc and .xls) with a root and these streams."""
    header = bytearray(512)
    header[:8] = files.OLE_MAGIC
    header[0x1E:0x20] = struct.pack("<H", 9)  # 512-byte sectors

    def entry(name: str, kind: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        raw = bytearray(128)
        raw[: len(encoded)] = encoded
        raw[64:66] = struct.pack("<H", len(encoded))
        raw[66] = kind
        return bytes(raw)

    directory = entry("Root Entry", 5) + b"".join(entry(name, 2) for name in streams)
    return bytes(header) + directory.ljust(512, b"\0") + b"\0" * 512


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def bmp() -> bytes:
    pixels = b"\xff\xff\xff\x00"
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 54) + info + pixels


def tiff() -> bytes:
    return b"II*\x00\x08\x00\x00\x00" + b"\x00" * 16


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="text/html")


def stored_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredFile))


@pytest.fixture
def uploader(make_user):
    return make_user(Role.OFFICE, username="uploader")


# --- accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("法律意见书.pdf", pdf, "application/pdf"),
        ("合同审查.docx", docx, files.WORD),
        ("顾问名册.xlsx", xlsx, files.EXCEL),
        ("电子公文.ofd", ofd, "application/ofd"),
        ("旧合同.doc", lambda: ole("WordDocument", "1Table"), "application/msword"),
        ("旧台账.xls", lambda: ole("Workbook"), "application/vnd.ms-excel"),
        ("加密合同.docx", lambda: ole("EncryptedInfo", "EncryptedPackage"), files.WORD),
        ("扫描件.png", png, "image/png"),
        ("现场照片.jpg", jpeg, "image/jpeg"),
        ("现场照片.JPEG", jpeg, "image/jpeg"),
        ("示意图.bmp", bmp, "image/bmp"),
        ("扫描件.tif", tiff, "image/tiff"),
    ],
)
def test_each_allowed_type_is_stored_by_its_content(uploader, name, build, content_type):
    data = build()
    stored = save_upload(upload(data, name), uploader)
    assert stored.id is not None
    assert (stored.name, stored.content_type, stored.size) == (name, content_type, len(data))
    assert stored.uploaded_by_id == uploader.id and stored.uploaded_at is not None
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(StoredFile, stored.id)
    assert again.data == data
    assert len(again.sha256) == 64


def test_the_browser_type_is_never_believed(uploader):
    stored = save_upload(upload(pdf(), "a.pdf"), uploader)  # sent as text/html
    assert stored.content_type == "application/pdf"


def test_a_list_never_loads_the_bytes(uploader):
    stored_id = save_upload(upload(pdf(), "a.pdf"), uploader).id
    db.session.commit()
    db.session.expunge_all()
    listed = db.session.scalars(select(StoredFile)).one()
    assert "data" not in inspect(listed).dict
    assert listed.id == stored_id and listed.data == pdf()


def test_storing_is_audited_without_the_bytes(uploader):
    save_upload(upload(pdf(), "意见.pdf"), uploader)
    db.session.commit()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "StoredFile")
    ).one()
    assert event.action == "create" and event.record_label == "意见.pdf"
    assert "data" not in event.after and event.after["size"] == len(pdf())


# --- refused ----------------------------------------------------------------------------


def refused(data: bytes, name: str, uploader) -> str:
    with pytest.raises(DomainError) as caught:
        save_upload(upload(data, name), uploader)
    assert stored_count() == 0
    assert caught.value.field is None
    return caught.value.message


def test_a_renamed_program_is_refused(uploader):
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run"
    assert "program or a web page" in refused(program, "会议纪要.pdf", uploader)
    assert "program or a web page" in refused(
        b"\x7fELF\x02\x01\x01" + b"\0" * 50, "a.png", uploader
    )
    assert "program or a web page" in refused(b"#!/bin/sh\nrm -rf /\n", "a.docx", uploader)


@pytest.mark.parametrize(
    "page",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"\xef\xbb\xbf  \n<html><body onload=alert(1)>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ],
)
def test_a_web_page_named_pdf_is_refused(uploader, page):
    message = refused(page, "意见书.pdf", uploader)
    assert "“意见书.pdf”" in message and "program or a web page" in message


@pytest.mark.parametrize("name", ["说明.txt", "page.html", "logo.svg", "setup.exe", "x.PDF.exe"])
def test_types_off_the_list_are_refused_whatever_the_content(uploader, name):
    message = refused(pdf(), name, uploader)
    assert "cannot be uploaded" in message and ".pdf, .doc, .docx" in message


def test_a_name_without_extension_is_refused(uploader):
    assert "has no extension" in refused(pdf(), "合同", uploader)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (png(), "合同.pdf", "PDF"),
        (pdf(), "照片.png", "PNG image"),
        (ofd(), "合同.docx", "Word"),  # a zip, but no Word inside
        (docx(), "名册.xlsx", "Excel"),
        (xlsx(), "公文.ofd", "OFD"),
        (ole("SummaryInformation", "Property"), "安装包.doc", "Word"),  # an installer's shape
        (ole("WordDocument"), "台账.xls", "Excel"),
        (b"PK\x03\x04 not really a zip", "合同.docx", "Word"),
        (b"just some text", "照片.jpg", "JPEG image"),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(uploader, data, name, kind):
    message = refused(data, name, uploader)
    assert f"not really a {kind} file" in message and f"“{name}”" in message


def test_a_macro_document_renamed_docx_is_refused(uploader):
    data = docx(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert "contains macros" in refused(data, "通知.docx", uploader)


def test_an_empty_file_is_refused(uploader):
    assert "is empty" in refused(b"", "空白.pdf", uploader)


def test_no_file_is_refused(uploader):
    for nothing in (None, FileStorage(stream=io.BytesIO(b""), filename="")):
        with pytest.raises(DomainError, match="Choose a file"):
            save_upload(nothing, uploader)


def test_the_caller_may_name_the_field(uploader):
    with pytest.raises(DomainError) as caught:
        save_upload(upload(b"", "a.pdf"), uploader, field="contract_file")
    assert caught.value.field == "contract_file"


def limit_to_one_megabyte() -> None:
    db.session.add(Setting(key=files.MAX_MB, value="1"))
    db.session.flush()


class CountingStream(io.BytesIO):
    """A stream that remembers how many bytes were read from it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.taken = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def test_a_file_over_the_limit_is_refused(uploader):
    limit_to_one_megabyte()
    exactly = pdf().ljust(MB, b" ")
    assert save_upload(upload(exactly, "刚好.pdf"), uploader).size == MB
    db.session.rollback()
    limit_to_one_megabyte()
    message = refused(pdf().ljust(MB + 1, b" "), "超大.pdf", uploader)
    assert "larger than 1 MB" in message


def test_a_huge_upload_is_read_no_further_than_the_limit(uploader):
    limit_to_one_megabyte()
    stream = CountingStream(pdf().ljust(8 * MB, b" "))
    with pytest.raises(DomainError, match="larger than 1 MB"):
        save_upload(FileStorage(stream=stream, filename="扫描.pdf"), uploader)
    assert stream.taken == MB + 1


def test_the_limit_cannot_pass_what_the_web_server_accepts(make_user, app):
    admin = make_user(Role.ADMIN)
    server_mb = app.config["MAX_CONTENT_LENGTH"] // MB
    with pytest.raises(DomainError, match="at most 20 MB"):
        settings.change_setting(admin, files.MAX_MB, str(server_mb))
    settings.change_setting(admin, files.MAX_MB, str(server_mb - 2))
    assert files.upload_limit_mb() == server_mb - 2


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "关于印发《重大行政决策程序规定》的通知.pdf",
            "关于印发《重大行政决策程序规定》的通知.pdf",
        ),
        ("C:\\Users\\王\\Desktop\\合同.docx", "合同.docx"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("合\x00同\r\n审查.pdf", "合同审查.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # the right-to-left override is gone
        ("  .hidden.pdf  ", "hidden.pdf"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("合同\u3000 \t 正文.pdf", "合同 正文.pdf"),
    ],
)
def test_names_are_cleaned_and_chinese_kept(raw, clean):
    assert clean_name(raw) == clean


def test_a_long_name_is_cut_keeping_its_extension():
    name = clean_name("合" * 200 + ".docx")
    assert name.endswith("合.docx") and len(name.encode()) <= files.NAME_BYTES


def test_the_stored_name_is_the_cleaned_one(uploader):
    stored = save_upload(upload(pdf(), "D:/公文/2026/\u200b意见书.pdf"), uploader)
    assert stored.name == "意见书.pdf"


# --- downloads --------------------------------------------------------------------------


def test_a_download_is_an_attachment_under_its_chinese_name(app, uploader):
    stored = save_upload(upload(docx(), "关于某合同的法律意见书（定稿）.docx"), uploader)
    with app.test_request_context("/"):
        response = send_stored(stored)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="file-{stored.id}.docx"' in disposition
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "关于某合同的法律意见书（定稿）.docx"
    assert all(ord(c) < 128 and c not in " ;\"'" for c in encoded)
    assert response.mimetype == files.WORD
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.get_data() == docx()
    assert response.content_length == len(docx())


def test_an_ascii_name_keeps_a_readable_fallback(app, uploader):
    stored = save_upload(upload(pdf(), 'Opinion "final" 2026.pdf'), uploader)
    with app.test_request_context("/"):
        disposition = send_stored(stored).headers["Content-Disposition"]
    assert 'filename="Opinion__final__2026.pdf"' in disposition
    assert "filename*=UTF-8''Opinion%20_final_%202026.pdf" in disposition


def test_a_download_is_never_html_even_if_the_record_says_so(app, uploader):
    stored = save_upload(upload(pdf(), "a.pdf"), uploader)
    stored.content_type = "text/html"
    with app.test_request_context("/"):
        response = send_stored(stored)
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")


# --- the form field ---------------------------------------------------------------------


class AttachForm(Form):
    contract = UploadField("Contract file", required=True)
    extra = UploadField("Other material")


def test_the_field_offers_the_allowed_types_and_names_the_limit(app):
    with app.test_request_context("/"):
        form = AttachForm(meta={"csrf": False})
        html = str(form.contract())
        help_text = render_template_string("{{ f.description }}", f=form.contract)
    assert 'type="file"' in html and "required" in html
    assert 'accept=".pdf,.doc,.docx,.xls,.xlsx,.ofd,.jpg,.jpeg,.png,.bmp,.tif,.tiff"' in html
    assert ".ofd" in help_text and "20 MB" in help_text


def posted_form(app, **uploads):
    with app.test_request_context("/", method="POST"):
        form = AttachForm(formdata=MultiDict(uploads), meta={"csrf": False})
        valid = form.validate()
        return valid, form.errors


def test_the_field_asks_for_a_file_when_required(app):
    valid, errors = posted_form(app)
    assert not valid and errors == {"contract": ["Choose a file to upload."]}
    valid, errors = posted_form(app, contract=upload(pdf(), "合同.pdf"))
    assert valid, errors


def test_the_field_refuses_a_type_off_the_list_before_reading_it(app):
    valid, errors = posted_form(
        app, contract=upload(pdf(), "合同.pdf"), extra=upload(b"x", "a.svg")
    )
    assert not valid and "cannot be uploaded" in errors["extra"][0]


# --- a request over the server's limit ----------------------------------------------------


def test_a_request_over_the_server_limit_gets_a_page_not_an_error(app, client):
    kept = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        response = client.post(
            "/login",
            data={"username": "x", "file": (io.BytesIO(b"%PDF-" + b"0" * 100_000), "大.pdf")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = kept
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "20 MB" in page and "<html" in page
