"""A partnership's documents: its partners add them, whoever can see the partnership opens them,
and nobody else can reach the file, by page or by guessing its address."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduction.models import PartnershipDocument
from coproduction.services import Refused, document_add, document_remove, partnership_propose
from tests.conftest import make_editor
from tests.factories import UserFactory
from tests.factories.coproduction import AskFactory, ServiceTeamFactory, make_service_team_member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def team(db):
    return ServiceTeamFactory(name="Healthy Eating Team")


@pytest.fixture
def member(team):
    return make_service_team_member(team, username="eater")


@pytest.fixture
def partnership(team, member, organisation):
    ask = AskFactory(team=team)
    return partnership_propose(
        team=team, organisations=[organisation], by=member, title="Cooking", ask=ask
    )


def upload(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add(client, partnership, **data):
    return client.post(
        reverse("coproduction:document_upload", args=[partnership.pk]),
        {"title": "Evaluation", "file": upload(), **data},
    )


def test_a_team_member_adds_a_document_kept_outside_media(
    client, member, partnership, private_root
):
    client.force_login(member)
    response = add(client, partnership)
    assert response.status_code == 302
    document = PartnershipDocument.objects.get()
    assert document.filename == "report.pdf" and document.uploaded_by == member
    stored = private_root / document.file.name
    assert stored.read_bytes() == PDF
    # The stored name is random, not the uploader's.
    assert "report" not in document.file.name
    page = client.get(reverse("coproduction:partnership", args=[partnership.pk])).content.decode()
    assert "Evaluation" in page and "report.pdf" in page


def test_a_partner_groups_editor_adds_and_opens_a_document(client, partnership, editor):
    client.force_login(editor)
    assert add(client, partnership).status_code == 302
    document = PartnershipDocument.objects.get()
    response = client.get(reverse("coproduction:document", args=[partnership.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_commissioner_opens_but_cannot_add(client, partnership, member):
    document = document_add(partnership=partnership, by=member, title="Report", upload=upload())
    commissioner = UserFactory()
    commissioner.groups.add(Group.objects.get(name="Commissioners"))
    client.force_login(commissioner)
    url = reverse("coproduction:document", args=[partnership.pk, document.pk])
    assert client.get(url).status_code == 200
    assert add(client, partnership).status_code == 403
    page = client.get(reverse("coproduction:partnership", args=[partnership.pk])).content.decode()
    assert "Add a document" not in page


def test_others_cannot_reach_a_document_by_its_address(
    client, partnership, member, other_organisation
):
    document = document_add(partnership=partnership, by=member, title="Report", upload=upload())
    url = reverse("coproduction:document", args=[partnership.pk, document.pk])
    assert client.get(url).status_code == 302  # to sign in
    outsider_team = ServiceTeamFactory(name="Other team")
    for user in (
        make_service_team_member(outsider_team, username="outsider"),
        make_editor(other_organisation, username="other-editor"),
    ):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
        removed = client.post(
            reverse("coproduction:document_delete", args=[partnership.pk, document.pk])
        )
        assert removed.status_code in (403, 404)
    assert PartnershipDocument.objects.filter(pk=document.pk).exists()


def test_a_document_of_another_partnership_is_not_found_through_this_one(
    client, team, member, partnership, organisation
):
    other = partnership_propose(team=team, organisations=[organisation], by=member, title="Other")
    document = document_add(partnership=other, by=member, title="Report", upload=upload())
    client.force_login(member)
    url = reverse("coproduction:document", args=[partnership.pk, document.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ", "Upload a PDF"),
        ("page.html", b"<html>", "Upload a PDF"),
        ("noextension", b"x", "Upload a PDF"),
        ("fake.pdf", b"<script>alert(1)</script>", "is not a PDF file"),
        ("fake.png", b"GIF89a", "is not a PNG file"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_on_the_file_field(
    client, member, partnership, name, content, message
):
    client.force_login(member)
    response = add(client, partnership, file=upload(name, content))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'href="#id_file"' in page
    assert not PartnershipDocument.objects.exists()


def test_an_oversized_file_is_refused(member, partnership, settings):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(Refused, match="larger than 10 MB") as refused:
        document_add(partnership=partnership, by=member, title="Big", upload=big)
    assert refused.value.field == "file"
    assert not PartnershipDocument.objects.exists()


def test_a_missing_title_or_file_names_the_field(client, member, partnership):
    client.force_login(member)
    response = client.post(
        reverse("coproduction:document_upload", args=[partnership.pk]), {"title": ""}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_title"' in page and 'href="#id_file"' in page


def test_hostile_titles_and_names_are_shown_as_text(client, member, partnership):
    client.force_login(member)
    response = add(
        client, partnership, title=f"Report {HOSTILE}"[:160], file=upload(f'../../{HOSTILE}".pdf')
    )
    assert response.status_code == 302
    document = PartnershipDocument.objects.get()
    assert "/" not in document.filename and '"' not in document.filename
    page = client.get(reverse("coproduction:partnership", args=[partnership.pk])).content.decode()
    assert "<script>alert" not in page
    download = client.get(reverse("coproduction:document", args=[partnership.pk, document.pk]))
    assert "<" not in download["Content-Disposition"].replace("&lt;", "")


def test_the_team_removes_a_document_a_partner_added(client, member, editor, partnership):
    document = document_add(partnership=partnership, by=editor, title="Leaflet", upload=upload())
    client.force_login(member)
    response = client.post(
        reverse("coproduction:document_delete", args=[partnership.pk, document.pk])
    )
    assert response.status_code == 302
    assert not PartnershipDocument.objects.exists()


def test_a_partner_who_did_not_add_it_cannot_remove_it(client, member, partnership, organisation):
    document = document_add(partnership=partnership, by=member, title="Plan", upload=upload())
    other_editor = make_editor(organisation, username="second-editor")
    client.force_login(other_editor)
    response = client.post(
        reverse("coproduction:document_delete", args=[partnership.pk, document.pk])
    )
    assert response.status_code == 403
    assert PartnershipDocument.objects.filter(pk=document.pk).exists()


def test_the_file_is_deleted_once_the_removal_is_committed(
    member, partnership, private_root, django_capture_on_commit_callbacks
):
    document = document_add(partnership=partnership, by=member, title="Plan", upload=upload())
    stored = private_root / document.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_remove(document=document)
    # Until the removal is committed the file stays: a rollback would leave the row.
    assert stored.exists() and len(callbacks) == 1
    callbacks[0]()
    assert not stored.exists()


def test_private_files_have_no_public_address(member, partnership):
    document = document_add(
        partnership=partnership, by=member, title="Plan", upload=upload("a.txt", b"notes")
    )
    with pytest.raises(ValueError, match="no public address"):
        document.file.url  # noqa: B018
