"""Uploaded images judged by their content, then re-encoded.

The file's name and the content type the browser announced are ignored: Pillow reads the
header (``Image.open`` does not decode the pixels), the format and the dimensions are checked
against the limits *before* anything is decoded, the structure is verified, and only then is
the image decoded and written again in the same format. The new file holds the pixels and
nothing else: no EXIF, comment, text chunk, colour profile or bytes appended after the image
data (an HTML page glued to a PNG, for instance).

- ``inspect_image(file)``: the checks alone (``ImageContentValidator``, for model fields).
- ``clean_image(file)``: the checks, then the re-encoded image as a ``ContentFile``.
- ``CleanImageField``: a form field whose cleaned value is that re-encoded file.
- ``fresh_name(stem, image_format)``: ``"<slug>-<8 random hex>.<ext>"``.

``formats`` may narrow ``ACCEPTED_FORMATS`` (the formats re-encoded here), not widen it.

Every refusal is a ``ValidationError`` with a French message and a code (``too_large``,
``not_an_image``, ``format``, ``too_many_pixels``, ``corrupt``). Generic: imports nothing
from the portal's apps.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 16_000_000  # 4000 × 4000
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
FORMAT_LABELS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
JPEG_QUALITY = 88
WEBP_QUALITY = 88

MESSAGES = {
    "too_large": _("Le fichier pèse %(size)s : %(limit)s au plus."),
    "not_an_image": _(
        "Ce fichier n'est pas une image lisible. Envoyez une image au format %(formats)s."
    ),
    "format": _("Le format %(format)s n'est pas accepté : envoyez une image %(formats)s."),
    "too_many_pixels": _(
        "L'image mesure %(width)s × %(height)s pixels : %(limit)s mégapixels au plus "
        "(par exemple 4000 × 4000)."
    ),
    "too_many_pixels_unknown": _(
        "L'image est beaucoup trop grande : %(limit)s mégapixels au plus (par exemple 4000 × 4000)."
    ),
    "corrupt": _(
        "L'image est tronquée ou endommagée : enregistrez-la de nouveau depuis votre "
        "logiciel, puis renvoyez-la."
    ),
    "too_large_after": _(
        "Une fois réenregistrée, l'image pèse %(size)s : %(limit)s au plus. Réduisez ses "
        "dimensions."
    ),
}


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's name: "PNG", "JPEG" or "WEBP"
    width: int
    height: int

    @property
    def extension(self):
        return EXTENSIONS[self.format]

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]


def _formats_label(formats):
    labels = [FORMAT_LABELS.get(name, name) for name in formats]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s ou %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _refuse(key, code=None, **params):
    raise ValidationError(MESSAGES[key], code=code or key, params=params)


def _megapixels(max_pixels):
    return f"{max_pixels / 1_000_000:g}".replace(".", ",")


def _open(file, formats=None):
    """``Image.open`` at the start of ``file``, with Pillow's decompression-bomb warning
    turned into an error (it would otherwise only be logged). Reads the header only."""
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(file, formats=formats)


def inspect_image(file, *, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, formats=ACCEPTED_FORMATS):
    """Check ``file`` (any file object with ``size``, ``read`` and ``seek``) by its content,
    cheapest check first; return its ``ImageInfo`` or raise ``ValidationError``. Nothing is
    decoded: the size is read from the file object, the dimensions from the image header,
    and ``verify()`` walks the structure (chunks and checksums of a PNG)."""
    size = file.size
    if size > max_bytes:
        _refuse("too_large", size=filesizeformat(size), limit=filesizeformat(max_bytes))
    accepted = _formats_label(formats)
    try:
        image = _open(file)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse("too_many_pixels_unknown", "too_many_pixels", limit=_megapixels(max_pixels))
    except UnidentifiedImageError:
        _refuse("not_an_image", formats=accepted)
    except Exception:  # Pillow raises many kinds of errors on malformed headers
        _refuse("corrupt")
    try:
        with image:  # never closes ``file``, which Pillow did not open
            if image.format not in formats:
                label = FORMAT_LABELS.get(image.format, image.format)
                _refuse("format", format=label, formats=accepted)
            width, height = image.size
            if width * height > max_pixels:
                limit = _megapixels(max_pixels)
                _refuse("too_many_pixels", width=width, height=height, limit=limit)
            try:
                image.verify()
            except Exception:
                _refuse("corrupt")
    finally:
        file.seek(0)
    return ImageInfo(image.format, width, height)


def clean_image(
    file,
    *,
    name="image",
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    formats=ACCEPTED_FORMATS,
):
    """``inspect_image``, then the image decoded and encoded again in the same format, as a
    ``ContentFile`` named ``fresh_name(name, format)``, with ``image_info`` and
    ``content_type`` attributes. Raises ``ValidationError``."""
    info = inspect_image(file, max_bytes=max_bytes, max_pixels=max_pixels, formats=formats)
    try:
        data = _reencode(file, info, max_bytes)
    except ValidationError:
        raise
    except Exception:  # truncated pixel data (a JPEG's verify() checks nothing), bad streams
        _refuse("corrupt")
    finally:
        file.seek(0)
    if len(data) > max_bytes:
        _refuse(
            "too_large_after",
            "too_large",
            size=filesizeformat(len(data)),
            limit=filesizeformat(max_bytes),
        )
    cleaned = ContentFile(data, name=fresh_name(name, info.format))
    cleaned.image_info = info
    cleaned.content_type = info.content_type
    return cleaned


def fresh_name(stem, image_format):
    """A new file name: ``"fabricanova-3f9a1c2e.png"`` (the stem slugified, at most 40
    characters, then 8 random hexadecimal digits)."""
    base = slugify(str(stem))[:40].strip("-") or "image"
    return f"{base}-{secrets.token_hex(4)}.{EXTENSIONS[image_format]}"


def _reencode(file, info, max_bytes):
    """The image decoded and written again: the first of ``_encodings`` within
    ``max_bytes``, else the last (refused by the caller)."""
    webp_lossless = info.format == "WEBP" and _webp_is_lossless(file)
    with _open(file, formats=[info.format]) as image:
        if image.size != (info.width, info.height) or image.format != info.format:
            _refuse("corrupt")  # the file changed between the two readings
        image.load()  # decodes: raises on truncated or corrupt pixel data
        _upright(image)
        image, transparency = _convert(image, info.format)
        for options in _encodings(image, info.format, transparency, webp_lossless):
            image.info = {}  # Pillow would copy some of it on save (comment, profile)
            data = _save(image, info.format, **options)
            if len(data) <= max_bytes:
                break
    return data


def _encodings(image, image_format, transparency, webp_lossless):
    """The ways to write the image, preferred first; the next ones only serve when the
    first gives a file over the size limit. A JPEG keeps its own quantisation tables when
    it can (the new file weighs about what the original did)."""
    if image_format == "PNG":
        options = {} if transparency is None else {"transparency": transparency}
        yield options
        yield {**options, "optimize": True}
        return
    if image_format == "JPEG":
        if getattr(image, "quantization", None):  # still the decoded JPEG: not converted
            yield {"quality": "keep", "optimize": True}
        yield {"quality": JPEG_QUALITY, "optimize": True}
        yield {"quality": 75, "optimize": True}
        return
    if webp_lossless:
        yield {"lossless": True}
    yield {"quality": WEBP_QUALITY}
    yield {"quality": 75}


def _save(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def _upright(image):
    """Turn the image as its EXIF orientation says (in place), since the EXIF is dropped;
    leave it as it is when that EXIF cannot be read."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:
        return


def _has_alpha(image):
    return (
        image.mode in ("RGBA", "LA", "PA", "RGBa", "La")
        or "transparency" in image.info
        or (image.mode == "P" and image.palette is not None and image.palette.mode == "RGBA")
    )


PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA")


def _convert(image, image_format):
    """The image in a mode the format writes plainly, and the transparent colour of a PNG
    (its ``tRNS``: image data, kept; ``None`` otherwise). JPEG: grey or RGB (CMYK and YCbCr
    become RGB). PNG: its own mode, a palette included; 16-bit grey becomes 8-bit. WebP:
    RGB, or RGBA when the image has transparency."""
    if image_format == "JPEG":
        return (image if image.mode in ("L", "RGB") else image.convert("RGB")), None
    if image_format == "PNG":
        if image.mode in PNG_MODES:
            return image, image.info.get("transparency")
        if image.mode in ("I", "I;16", "I;16B", "I;16L"):
            return image.convert("I").point(lambda value: value / 257).convert("L"), None
    wanted = "RGBA" if _has_alpha(image) else "RGB"
    return (image if image.mode == wanted else image.convert(wanted)), None


def _webp_is_lossless(file):
    """Whether a WebP holds a lossless bitstream (``VP8L`` chunk) rather than a lossy one
    (``VP8 ``): a lossless logo stays lossless. Walks the RIFF chunks' headers only."""
    file.seek(12)
    for _index in range(32):
        header = file.read(8)
        if len(header) < 8:
            return False
        fourcc, length = header[:4], int.from_bytes(header[4:], "little")
        if fourcc == b"VP8L":
            return True
        if fourcc == b"VP8 ":
            return False
        file.seek(length + (length & 1), io.SEEK_CUR)
    return False


@deconstructible
class ImageContentValidator:
    """Model-field validator: the file is an accepted image by its content, within the size
    and pixel limits (``inspect_image``). A file already stored (a committed ``FieldFile``)
    was checked when it was uploaded and is not read again."""

    def __init__(self, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, formats=ACCEPTED_FORMATS):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.formats = tuple(formats)

    def __call__(self, value):
        if hasattr(value, "_committed"):  # a FieldFile
            if not value.name or value._committed:
                return
            value = value.file
        if not hasattr(value, "read"):  # a bare name (a historical copy of the field)
            return
        inspect_image(
            value, max_bytes=self.max_bytes, max_pixels=self.max_pixels, formats=self.formats
        )

    def __eq__(self, other):
        return isinstance(other, ImageContentValidator) and (
            (self.max_bytes, self.max_pixels, self.formats)
            == (other.max_bytes, other.max_pixels, other.formats)
        )

    def __hash__(self):
        return hash((self.max_bytes, self.max_pixels, self.formats))


class CleanImageField(forms.ImageField):
    """An image upload checked and re-encoded by ``clean_image``: the cleaned value of a new
    upload is the re-encoded ``ContentFile`` (named ``"image-<random>.<ext>"``; rename it in
    the form's ``clean_<field>`` if a better stem is known). The name's extension is not
    checked: the content decides."""

    default_validators = []  # forms.ImageField's one judges by the name's extension

    def __init__(self, *, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, formats=None, **kwargs):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.formats = tuple(formats or ACCEPTED_FORMATS)
        if not set(self.formats) <= set(ACCEPTED_FORMATS):
            raise ValueError(f"Only {', '.join(ACCEPTED_FORMATS)} can be re-encoded.")
        super().__init__(**kwargs)

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)  # name, emptiness; no Pillow yet
        if file is None:
            return None
        return clean_image(
            file, max_bytes=self.max_bytes, max_pixels=self.max_pixels, formats=self.formats
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(CONTENT_TYPES[name] for name in self.formats)
        return attrs
