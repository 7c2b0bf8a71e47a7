"""Logos judged by their content and re-encoded (``core.images``), through the admin change
form of a PTCE and through the form field and validator; old files deleted after commit
(``directory.logo_files``); the S3 storage switch (``ptce_portal.settings.storage``)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import modelform_factory
from django.urls import reverse
from PIL import Image, ImageFile, PngImagePlugin

from core.images import CleanImageField, ImageContentValidator, clean_image
from directory.models import Ptce
from ptce_portal.settings.storage import storages_from_env

from .factories import PtceFactory

pytestmark = pytest.mark.django_db
HTML = b"<html><script>alert('polyglotte')</script></html>"


# --- images -------------------------------------------------------------------------------
def png_bytes(size=(120, 60), mode="RGBA", text=None):
    info = None
    if text:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", text)
    out = io.BytesIO()
    colour = (200, 30, 60, 128) if mode == "RGBA" else (200, 30, 60)
    Image.new(mode, size, colour).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_bytes(size=(120, 60)):
    image = Image.new("RGB", size, (20, 90, 200))
    exif = image.getexif()
    exif[0x010F] = "Appareil du photographe"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"commentaire cache")
    return out.getvalue()


def webp_bytes(size=(120, 60)):
    image = Image.new("RGBA", size, (20, 160, 90, 200))
    exif = image.getexif()
    exif[0x010F] = "Appareil du photographe"
    out = io.BytesIO()
    image.save(out, "WEBP", lossless=True, exif=exif)
    return out.getvalue()


def gif_bytes():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "GIF")
    return out.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width, height, *, pixels=True):
    """A valid black-and-white PNG of ``width`` × ``height`` whose pixels compress to almost
    nothing (12000 × 12000: 18 MB of pixel data in about 20 KB), written row by row: a
    decompression bomb. ``pixels=False`` leaves the image data out (a header only)."""
    data = b""
    if pixels:
        compressor = zlib.compressobj(9)
        row = b"\x00" + bytes((width + 7) // 8)
        data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def upload(data, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# --- the admin change form ----------------------------------------------------------------
def change_url(ptce):
    return reverse("admin:directory_ptce_change", args=[ptce.pk])


def change_form_data(client, ptce):
    """What the change form of ``ptce`` posts as it is shown (inline management forms
    included), without a logo."""
    response = client.get(change_url(ptce))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "logo" or value in (None, ""):
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


def post_logo(client, ptce, data=None, *, clear=False, capture):
    form_data = change_form_data(client, ptce)
    if data is not None:
        form_data["logo"] = upload(data) if isinstance(data, bytes) else data
    if clear:
        form_data["logo-clear"] = "on"
    with capture(execute=True):
        return client.post(change_url(ptce), form_data)


def logo_errors(response):
    assert response.status_code == 200, "the form was expected back with an error"
    return response.context["adminform"].form.errors.get("logo", [])


def stored(ptce):
    ptce.refresh_from_db()
    with ptce.logo.storage.open(ptce.logo.name) as handle:
        return handle.read()


@pytest.fixture
def ptce():
    return PtceFactory(name="Fabricanova", slug="fabricanova")


@pytest.fixture
def post(admin_client, ptce, django_capture_on_commit_callbacks):
    def post(data=None, **options):
        return post_logo(
            admin_client, ptce, data, capture=django_capture_on_commit_callbacks, **options
        )

    return post


def test_a_png_is_re_encoded_without_its_text_chunk_or_appended_html(post, ptce):
    original = png_bytes(text="<script>alert(1)</script>") + HTML

    response = post(original)

    assert response.status_code == 302
    data = stored(ptce)
    assert data != original
    assert HTML not in data and b"script" not in data
    assert data.endswith(_chunk(b"IEND", b""))  # nothing after the image data
    image = opened(data)
    assert (image.format, image.size, image.mode) == ("PNG", (120, 60), "RGBA")
    assert image.getpixel((0, 0)) == (200, 30, 60, 128)  # transparency kept
    assert "Comment" not in image.info
    assert ptce.logo.name.startswith("logos/fabricanova-")
    assert ptce.logo.name.endswith(".png")


def test_a_jpeg_loses_its_exif_and_comment_and_stays_upright(post, ptce):
    original = jpeg_bytes()

    assert post(upload(original, "photo.jpeg", "image/jpeg")).status_code == 302

    data = stored(ptce)
    assert data != original
    image = opened(data)
    assert image.format == "JPEG"
    assert image.size == (60, 120)  # the EXIF orientation applied before the EXIF went
    assert not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Appareil du photographe" not in data and b"commentaire" not in data
    assert ptce.logo.name.endswith(".jpg")


def test_a_webp_loses_its_exif_and_keeps_its_transparency(post, ptce):
    original = webp_bytes()

    assert post(upload(original, "logo.webp", "image/webp")).status_code == 302

    data = stored(ptce)
    assert data != original
    image = opened(data)
    assert (image.format, image.mode) == ("WEBP", "RGBA")
    assert image.getpixel((0, 0)) == (20, 160, 90, 200)  # lossless stays lossless
    assert not image.getexif()
    assert b"Appareil du photographe" not in data
    assert ptce.logo.name.endswith(".webp")


def test_the_name_and_content_type_sent_do_not_count(post, ptce):
    assert post(upload(png_bytes(), "logo.txt", "text/plain")).status_code == 302

    ptce.refresh_from_db()
    assert ptce.logo.name.endswith(".png")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png_bytes() + bytes(20 * 1024 * 1024), "au plus"),  # a 20 MB PNG
        (b"Ceci n'est pas une image.\n" * 40, "n'est pas une image"),  # text named .png
        (gif_bytes(), "GIF n'est pas accepté"),
        (png_bytes((300, 300), "RGB")[:300], "tronquée ou endommagée"),
    ],
    ids=["20-mb", "text", "gif", "truncated"],
)
def test_refusals_are_messages_on_the_field(post, ptce, data, expected):
    errors = logo_errors(post(data))

    assert len(errors) == 1
    assert expected in errors[0]
    ptce.refresh_from_db()
    assert not ptce.logo


def test_a_decompression_bomb_is_refused_from_its_header(post, ptce, monkeypatch):
    bomb = bomb_png(12000, 12000)  # 144 megapixels in a few kilobytes
    assert len(bomb) < 100_000

    def never(*args, **kwargs):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    errors = logo_errors(post(bomb))

    assert "16 mégapixels au plus" in errors[0]
    ptce.refresh_from_db()
    assert not ptce.logo


def test_replacing_a_logo_deletes_the_old_file_after_commit(post, ptce):
    post(png_bytes())
    ptce.refresh_from_db()
    first = ptce.logo.name
    storage = ptce.logo.storage
    assert storage.exists(first)

    post(jpeg_bytes())

    ptce.refresh_from_db()
    assert ptce.logo.name != first
    assert storage.exists(ptce.logo.name)
    assert not storage.exists(first)


def test_clearing_a_logo_deletes_its_file(post, ptce):
    post(png_bytes())
    ptce.refresh_from_db()
    name, storage = ptce.logo.name, ptce.logo.storage

    assert post(clear=True).status_code == 302

    ptce.refresh_from_db()
    assert not ptce.logo
    assert not storage.exists(name)


def test_a_refused_upload_keeps_the_current_logo(post, ptce):
    post(png_bytes())
    ptce.refresh_from_db()
    name, storage = ptce.logo.name, ptce.logo.storage

    post(gif_bytes())

    ptce.refresh_from_db()
    assert ptce.logo.name == name
    assert storage.exists(name)


# --- files follow their PTCE (signals) -----------------------------------------------------
def save_logo(ptce, data=None):
    ptce.logo = ContentFile(data or png_bytes(), name="logo.png")
    ptce.save()
    return ptce.logo.name


def test_deleting_a_ptce_deletes_its_logo(ptce, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        name = save_logo(ptce)
    storage = ptce.logo.storage

    with django_capture_on_commit_callbacks(execute=True):
        Ptce.objects.filter(pk=ptce.pk).delete()

    assert not storage.exists(name)


def test_nothing_is_deleted_when_the_transaction_rolls_back(
    ptce, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = save_logo(ptce)
    storage = ptce.logo.storage

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        save_logo(ptce)
        raise RuntimeError("the edit fails")

    assert callbacks == []
    assert storage.exists(first)


def test_a_file_another_ptce_still_names_is_kept(ptce, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        shared = save_logo(ptce)
    other = PtceFactory(departement_code="60")
    Ptce.objects.filter(pk=other.pk).update(logo=shared)

    with django_capture_on_commit_callbacks(execute=True):
        save_logo(ptce)

    assert ptce.logo.storage.exists(shared)


# --- the form field and the model validator directly -------------------------------------
def test_the_form_field_returns_a_fresh_re_encoded_file():
    original = png_bytes() + HTML

    cleaned = CleanImageField(required=False).clean(upload(original, "x.gif", "image/gif"))

    assert cleaned.name.startswith("image-") and cleaned.name.endswith(".png")
    assert cleaned.content_type == "image/png"
    data = cleaned.read()
    assert HTML not in data
    assert opened(data).size == (120, 60)


def test_a_palette_png_keeps_its_palette_and_transparent_colour():
    image = Image.new("P", (40, 20), 1)
    image.putpalette([255, 255, 255, 200, 0, 0])
    image.paste(0, (0, 0, 20, 20))  # the left half transparent
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)

    cleaned = opened(clean_image(upload(out.getvalue())).read())

    assert cleaned.mode == "P"
    rgba = cleaned.convert("RGBA")
    assert rgba.getpixel((5, 5))[3] == 0
    assert rgba.getpixel((30, 5)) == (200, 0, 0, 255)


def test_a_cmyk_jpeg_becomes_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (40, 20), (0, 255, 255, 0)).save(out, "JPEG")

    cleaned = opened(clean_image(upload(out.getvalue())).read())

    assert (cleaned.format, cleaned.mode) == ("JPEG", "RGB")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (png_bytes() + bytes(3 * 1024 * 1024), "too_large"),
        (b"GIF89a, vraiment ?", "not_an_image"),
        (gif_bytes(), "format"),
        (bomb_png(12000, 12000, pixels=False), "too_many_pixels"),
        (bomb_png(5000, 4000, pixels=False), "too_many_pixels"),
        (bomb_png(20000, 20000, pixels=False), "too_many_pixels"),  # Pillow's own limit
        (png_bytes((300, 300), "RGB")[:300], "corrupt"),
    ],
)
def test_the_validator_judges_by_content(data, code):
    validator = ImageContentValidator()

    with pytest.raises(ValidationError) as caught:
        validator(upload(data))

    assert caught.value.code == code


def test_the_validator_accepts_the_three_formats_and_skips_stored_files(ptce):
    validator = ImageContentValidator()
    for data in (png_bytes(), jpeg_bytes(), webp_bytes()):
        validator(upload(data, "sans-extension"))
    ptce.logo.name = "logos/deja-stocke.png"  # committed: not read again
    validator(ptce.logo)
    assert ImageContentValidator().deconstruct()[0] == "core.images.ImageContentValidator"


def test_the_validator_reads_a_file_just_assigned_to_the_model_field(ptce):
    ptce.logo = ContentFile(gif_bytes(), name="logo.png")  # as a ModelForm assigns it

    with pytest.raises(ValidationError) as caught:
        ImageContentValidator()(ptce.logo)

    assert caught.value.code == "format"


@pytest.fixture
def model_validator(monkeypatch):
    """The logo field with ``validators=[ImageContentValidator()]``, as the model declares
    it (or will)."""
    field = Ptce._meta.get_field("logo")
    others = [v for v in field.validators if not isinstance(v, ImageContentValidator)]
    monkeypatch.setitem(field.__dict__, "validators", [*others, ImageContentValidator()])


def test_any_model_form_is_covered_by_the_model_validator(ptce, model_validator):
    form_class = modelform_factory(Ptce, fields=["logo"])
    plain = form_class({}, {"logo": upload(gif_bytes(), "logo.gif", "image/gif")}, instance=ptce)

    assert not plain.is_valid()
    assert "GIF n'est pas accepté" in plain.errors["logo"][0]
    accepted = form_class({}, {"logo": upload(png_bytes())}, instance=ptce)
    assert accepted.is_valid(), accepted.errors


def test_the_admin_form_passes_the_model_validator(post, ptce, model_validator):
    assert post(png_bytes() + HTML).status_code == 302

    assert HTML not in stored(ptce)


def test_a_truncated_jpeg_is_refused_when_decoded():
    out = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(out, "JPEG")
    data = out.getvalue()

    with pytest.raises(ValidationError) as caught:
        clean_image(upload(data[: len(data) // 2]))

    assert caught.value.code == "corrupt"


# --- S3-compatible storage -----------------------------------------------------------------
LOCAL = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_without_a_bucket_files_stay_local():
    assert storages_from_env(LOCAL, {"AWS_S3_REGION_NAME": "fr-par"}) == LOCAL
    assert storages_from_env(LOCAL, {"AWS_STORAGE_BUCKET_NAME": " "}) == LOCAL


def test_with_a_bucket_uploads_go_to_s3_and_static_files_stay():
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "ptce-medias",
        "AWS_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
        "AWS_S3_REGION_NAME": "fr-par",
        "AWS_ACCESS_KEY_ID": "identifiant",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_S3_CUSTOM_DOMAIN": "",
    }

    storages = storages_from_env(LOCAL, environ)

    assert storages["staticfiles"] == LOCAL["staticfiles"]
    assert storages["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "ptce-medias",
            "endpoint_url": "https://s3.fr-par.scw.cloud",
            "region_name": "fr-par",
            "access_key": "identifiant",
            "secret_key": "secret",
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    # django-storages builds the backend and its public URLs without any network call.
    from storages.backends.s3 import S3Storage

    backend = S3Storage(**storages["default"]["OPTIONS"])
    url = backend.url("logos/fabricanova-1a2b3c4d.png")
    assert url == "https://s3.fr-par.scw.cloud/ptce-medias/logos/fabricanova-1a2b3c4d.png"
    with_domain = storages_from_env(LOCAL, {**environ, "AWS_S3_CUSTOM_DOMAIN": "medias.example"})
    backend = S3Storage(**with_domain["default"]["OPTIONS"])
    assert backend.url("logos/a.png") == "https://medias.example/logos/a.png"
