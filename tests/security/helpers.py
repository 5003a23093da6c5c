"""Small helpers shared by the security checks."""

from io import BytesIO

from openpyxl import load_workbook


def text_of(response):
    """The response as text: pages, SVG, calendars, and the cells of workbooks."""
    content_type = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        book = load_workbook(BytesIO(data), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if content_type.startswith(("text/", "image/svg", "application/json")):
        return data.decode("utf-8", errors="replace")
    return ""
