"""Postings, PDFs and applications for the jobs tests, made through actions."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from kizuna.jobs import actions
from kizuna.jobs.cv import clean_cv
from kizuna.jobs.models import Posting


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="職務経歴書.pdf", data=None):
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, content_type="application/pdf")


def make_posting(actor=None, *, skills=(), **values):
    values = {"title": "バックエンドエンジニア（再入社）", "kind": "rehire", "description": "決済基盤の開発です。",
              "status": Posting.Status.OPEN, "audience": Posting.Audience.ALL, **values}
    return actions.do_save_posting(actor, Posting(), values, skills=list(skills))


def apply(member, posting, *, message="よろしくお願いします。", cv=False):
    return actions.do_apply_to_job(member, posting, message=message, cv=clean_cv(pdf_upload()) if cv else None)
