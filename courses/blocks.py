from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=200, help_text="What the image shows, for people who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=240)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video the worker chooses to load: nothing is fetched until they tap it (slow links)."""

    url = blocks.URLBlock(help_text="A video file (.mp4, .webm) or a page that plays the video.")
    title = blocks.CharBlock(max_length=120)
    minutes = blocks.IntegerBlock(required=False, min_value=0, max_value=120)

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[("tip", "Tip"), ("warning", "Warning")], default="tip")
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        template = "courses/blocks/callout.html"


class RightWrongExampleBlock(blocks.StructBlock):
    """A correctly and a wrongly labelled image side by side, each with why."""

    right_image = ImageChooserBlock()
    right_caption = blocks.CharBlock(max_length=240, help_text="Why this one is right.")
    wrong_image = ImageChooserBlock()
    wrong_caption = blocks.CharBlock(max_length=240, help_text="What is wrong with this one.")

    class Meta:
        icon = "doc-full"
        label = "Right vs wrong example"
        template = "courses/blocks/right_wrong.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(max_length=120, form_classname="title", template="courses/blocks/heading.html")
    text = blocks.RichTextBlock(features=["h3", "bold", "italic", "link", "ol", "ul"])
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    example = RightWrongExampleBlock()
