"""Baking (Open Badges 3.0 §5.3): the credential in a PNG's iTXt chunk `openbadgecredential`, uncompressed.

A credential with an embedded proof is baked as its JSON; a VC-JOSE credential as the compact JWS.
"""

import io

from PIL import Image, PngImagePlugin

KEYWORD = "openbadgecredential"
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_PIXELS = 4096 * 4096


def is_png(data: bytes) -> bool:
    return data.startswith(_SIGNATURE)


def bake(picture: bytes | None, credential_text: str) -> bytes:
    """A PNG of the badge's picture (a plain square without one) carrying the credential."""
    if picture:
        image = Image.open(io.BytesIO(picture))
        image = image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image
    else:
        image = Image.new("RGB", (256, 256), (23, 92, 62))
    info = PngImagePlugin.PngInfo()
    info.add_itxt(KEYWORD, credential_text, zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def unbake(data: bytes) -> str | None:
    """The credential baked into a PNG, or None when there is none."""
    image = Image.open(io.BytesIO(data))
    if image.width * image.height > _MAX_PIXELS:
        raise ValueError("the picture is too large to read")
    image.load()  # iTXt chunks after the picture data are read with it
    text = image.text.get(KEYWORD) if hasattr(image, "text") else None
    return str(text) if text is not None else None
