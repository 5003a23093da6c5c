"""Building the power form's POST data (form and steps formset)."""


def power_data(org, *, steps=(), initial=0, **fields):
    """POST data for the power form and its steps formset.

    ``steps`` is a list of dicts: name, post (pk), responsible, time_limit,
    checks, is_risk, and for existing rows id, ORDER, DELETE.
    """
    from powers.services import ensure_categories

    category = ensure_categories(org.campaign).first()
    data = {
        "code": "",
        "name": "招商奖励资金兑现初审",
        "category": category.pk,
        "direction": "external",
        "content": "核查兑现条件，提出拟兑现金额。",
        "legal_basis": "招商引资扶持政策实施细则",
        "posts": [org.clerk.pk],
        "procedure": "",
        "time_limit": "30个工作日",
        "responsibility": "",
        "supervision_channel": "纪检组",
        "publicity": "public",
        "unpublished_reason": "",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for i, step in enumerate(steps):
        row = {
            "id": "",
            "name": "",
            "post": "",
            "responsible": "",
            "time_limit": "",
            "checks": "",
            "ORDER": str(i + 1),
        }
        row.update({k: v for k, v in step.items() if v is not None})
        for key, value in row.items():
            if key in ("is_risk", "DELETE"):
                if value:
                    data[f"steps-{i}-{key}"] = "on"
            else:
                data[f"steps-{i}-{key}"] = "" if value is None else str(value)
    return data
