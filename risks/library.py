"""The common risk library: loading the shipped fixture, and suggesting
entries that fit a filer's post and their section's powers."""

import json
from pathlib import Path

from django.conf import settings

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "risk_library.json"
FIELDS = (
    "area",
    "category",
    "post_types",
    "power_categories",
    "keywords",
    "title",
    "content",
    "suggested_grade",
    "prevention",
    "monitoring",
    "handling",
)


def load(model, path=FIXTURE, *, overwrite=False) -> tuple[int, int]:
    """Create the fixture's entries (matched by code); with ``overwrite`` also
    reset edited ones. Takes the model so a data migration can pass its
    historical model. Returns (created, updated)."""
    created = updated = 0
    for row in json.loads(Path(path).read_text(encoding="utf-8")):
        values = {field: row[field] for field in FIELDS}
        values["category_name"] = values.pop("category")
        entry = model.objects.filter(code=row["code"]).first()
        if entry is None:
            model.objects.create(code=row["code"], **values)
            created += 1
        elif overwrite:
            for field, value in values.items():
                setattr(entry, field, value)
            entry.save()
            updated += 1
    return created, updated


def suggestions(entries, *, post=None, power_category_codes=(), power_names=(), limit=8):
    """Rank library entries for a filer.

    An entry scores for its post type matching the filer's key-post type, for
    each of its power categories among the section's powers, and for each of
    its keywords found in the post's name and duties or the powers' names.
    Entries with no match at all are left out.
    """
    post_type = post.key_type if post is not None else "none"
    text = (
        " ".join([post.name, post.duties] if post is not None else []) + " " + " ".join(power_names)
    )
    codes = set(power_category_codes)
    ranked = []
    for entry in entries:
        score = 0
        if post_type in entry.post_types and post_type != "none":
            score += 3
        score += 2 * len(codes.intersection(entry.power_categories))
        score += sum(1 for word in entry.keywords if word and word in text)
        if score:
            ranked.append((score, entry.code, entry))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [entry for _score, _code, entry in ranked[:limit]]
