"""Teaching pictures for the demo courses, drawn with Pillow so the demo needs no downloads."""

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

W, H = 480, 320
GREEN, RED = (27, 110, 45), (164, 22, 26)


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _street() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (W, H), (186, 214, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 210, W, H], fill=(120, 120, 124))
    draw.rectangle([0, 258, W, 264], fill=(240, 240, 240))
    draw.rounded_rectangle([150, 150, 330, 225], radius=18, fill=(200, 40, 40))
    draw.polygon([(185, 150), (210, 112), (285, 112), (305, 150)], fill=(200, 40, 40))
    draw.polygon([(198, 148), (215, 120), (280, 120), (296, 148)], fill=(210, 235, 250))
    for x in (190, 290):
        draw.ellipse([x - 20, 205, x + 20, 245], fill=(30, 30, 30))
    draw.rectangle([400, 120, 412, 215], fill=(90, 70, 50))
    draw.ellipse([372, 70, 440, 140], fill=(60, 140, 70))
    return image, draw


def _label(draw: ImageDraw.ImageDraw, text: str, colour: tuple[int, int, int], xy=(10, 10)) -> None:
    font = _font(20)
    left, top, right, bottom = draw.textbbox(xy, text, font=font)
    draw.rectangle([left - 6, top - 4, right + 6, bottom + 4], fill=(255, 255, 255))
    draw.text(xy, text, fill=colour, font=font)


def box_right() -> Image.Image:
    image, draw = _street()
    draw.rectangle([148, 110, 332, 247], outline=GREEN, width=4)
    _label(draw, "car: box touches all edges", GREEN)
    return image


def box_wrong() -> Image.Image:
    image, draw = _street()
    draw.rectangle([110, 70, 370, 290], outline=RED, width=4)
    _label(draw, "car: box far too loose", RED)
    return image


def _fruit() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (W, H), (245, 236, 220))
    draw = ImageDraw.Draw(image)
    draw.ellipse([60, 120, 170, 230], fill=(205, 35, 45))
    draw.rectangle([112, 100, 118, 125], fill=(90, 60, 30))
    draw.arc([200, 90, 400, 290], start=200, end=340, fill=(235, 200, 40), width=34)
    draw.ellipse([330, 200, 400, 270], fill=(250, 140, 20))
    return image, draw


def tags_right() -> Image.Image:
    image, draw = _fruit()
    _label(draw, "tags: apple, banana, orange", GREEN)
    return image


def tags_wrong() -> Image.Image:
    image, draw = _fruit()
    _label(draw, "tags: apple, lemon", RED)
    return image


def _wave(text: str, colour: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (W, H), (250, 250, 252))
    draw = ImageDraw.Draw(image)
    heights = [12, 30, 55, 20, 70, 44, 15, 60, 80, 35, 22, 50, 66, 28, 10, 45, 72, 38, 18, 52]
    for i, height in enumerate(heights * 2):
        x = 20 + i * 11
        draw.line([x, 130 - height, x, 130 + height], fill=(11, 92, 173), width=6)
    _label(draw, text, colour, xy=(20, 250))
    return image


def transcript_right() -> Image.Image:
    return _wave("“Turn left at the market.”", GREEN)


def transcript_wrong() -> Image.Image:
    return _wave("“turn left at the [noise] market”?", RED)


def cover(title: str, colour: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (640, 320), colour)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.rectangle(
            [380 + i * 30, 40 + i * 30, 600 - i * 10, 280 - i * 5], outline=(255, 255, 255), width=3
        )
    draw.text((30, 230), title, fill=(255, 255, 255), font=_font(34))
    return image


def png_bytes(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def street() -> Image.Image:
    return _street()[0]


def badge(name: str, colour: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([8, 8, 248, 248], fill=colour, outline=(255, 255, 255), width=10)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = _font(96)
    left, top, right, bottom = draw.textbbox((0, 0), initials, font=font)
    draw.text(
        ((256 - (right - left)) / 2 - left, (256 - (bottom - top)) / 2 - top),
        initials,
        fill="white",
        font=font,
    )
    return image


def fruit() -> Image.Image:
    """The fruit bowl with no tags written on it: the picture workers tag in the check."""
    return _fruit()[0]


def spoken_line() -> Image.Image:
    """A sound wave with the spoken words under it in plain black: the line workers transcribe."""
    return _wave("Turn left at the market.", (27, 31, 36))
