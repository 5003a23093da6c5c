"""The self-assessment draft (自查报告草稿), written from the campaign's
figures (``acceptance.figures.campaign_figures``).

The draft states what the data says and where it falls short; the office
edits it into the report it hands in. The wording is ours.
"""

from django.utils import timezone
from django.utils.translation import gettext as _


def _pct(ratio) -> str:
    return "—" if ratio is None else f"{ratio * 100:.0f}%"


def _num(value) -> str:
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _join(parts) -> str:
    return "、".join(str(part) for part in parts)


def _date(day) -> str:
    """A date as the report writes it: 2026年3月1日."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def draft_text(campaign, figures) -> str:
    f = figures
    people, points, measures = f["people"], f["points"], f["measures"]
    posts, powers, warnings = f["posts"], f["powers"], f["warnings"]
    rect, pub, checklist = f["rectifications"], f["publicity"], f["checklist"]
    today = timezone.localdate()
    basis = (
        _("按照%(no)s《%(title)s》的部署，")
        % {"no": campaign.basis_doc_no, "title": campaign.basis_doc_title}
        if campaign.basis_doc_no and campaign.basis_doc_title
        else ""
    )
    lines = [
        _("%(unit)s%(campaign)s自查报告")
        % {"unit": campaign.unit.name, "campaign": campaign.title},
        "",
        _("一、基本情况"),
        _(
            "%(basis)s我单位自%(start)s起开展廉政风险防控工作，成立领导小组及其办公室，按照宣传动员、"
            "清权确权、查找风险、评估定级、制定措施、公示、检查验收七个阶段组织实施。"
            "全单位应参与人员 %(people)d 人，已建立个人岗位登记表 %(filings)d 份，其中已提交 %(handed)d 份、"
            "已审定 %(approved)d 份。"
        )
        % {
            "basis": basis,
            "start": _date(campaign.starts_on),
            "people": people["total"],
            "filings": people["personal_filings"],
            "handed": people["handed_in"],
            "approved": people["approved"],
        },
        "",
        _("二、工作开展情况"),
        _(
            "（一）清权确权。共梳理职权事项 %(total)d 项，其中已审定 %(approved)d 项、外部权力 %(external)d 项；已查找风险点的职权 %(covered)d 项，覆盖率 %(ratio)s。"
        )
        % {
            "total": powers["total"],
            "approved": powers["approved"],
            "external": powers["external"],
            "covered": powers["covered"],
            "ratio": _pct(powers["ratio"]),
        },
    ]
    grades = _join(
        _("%(label)s %(n)d 个") % {"label": g["label"], "n": g["n"]} for g in points["by_grade"]
    )
    if points["ungraded"]:
        grades = _join([grades, _("尚未定级 %(n)d 个") % {"n": points["ungraded"]}])
    categories = _join(
        _("%(label)s %(n)d 个") % {"label": c["name"], "n": c["n"]}
        for c in points["by_category"]
        if c["n"]
    )
    lines.append(
        _(
            "（二）风险查找和等级评定。采取自己找、群众帮、领导点、集体定的方法，共查找廉政风险点 %(total)d 个，"
            "其中%(grades)s。按类别分：%(categories)s。重点岗位 %(posts)d 个，已查找风险点的 %(covered)d 个，覆盖率 %(ratio)s。"
        )
        % {
            "total": points["total"],
            "grades": grades or _("暂无"),
            "categories": categories or _("暂无"),
            "posts": posts["total"],
            "covered": posts["covered"],
            "ratio": _pct(posts["ratio"]),
        }
    )
    line_parts = _join(
        _("%(label)s %(n)d 项") % {"label": line["label"], "n": line["total"]}
        for line in measures["lines"]
    )
    lines.append(
        _(
            "（三）防控措施。针对风险点共制定防控措施 %(total)d 项，其中%(lines)s；已落实 %(done)d 项，落实率 %(ratio)s。"
        )
        % {
            "total": measures["total"],
            "lines": line_parts,
            "done": measures["done"],
            "ratio": _pct(measures["done_ratio"]),
        }
    )
    lines.append(
        _(
            "（四）公示。共发布公示 %(windows)d 次（其中向社会公开 %(public)d 次），收到意见建议 %(feedback)d 条，已答复 %(answered)d 条。"
        )
        % {
            "windows": pub["windows"],
            "public": pub["public_windows"],
            "feedback": pub["feedback"],
            "answered": pub["answered"],
        }
    )
    levels = _join(
        _("%(label)s %(n)d 次") % {"label": w["label"], "n": w["n"]}
        for w in warnings["by_level"]
        if w["n"]
    )
    lines.append(
        _(
            "（五）预警处置。本年度共发出预警 %(total)d 次%(levels)s，采取处置措施 %(disposals)d 项，已办结 %(closed)d 项。"
        )
        % {
            "total": warnings["total"],
            "levels": _("（%(levels)s）") % {"levels": levels} if levels else "",
            "disposals": warnings["disposals"],
            "closed": warnings["disposals_closed"],
        }
    )
    lines.append(
        _(
            "（六）检查整改。检查中发现问题 %(total)d 个，已整改并验证销号 %(closed)d 个，正在整改 %(open)d 个。"
        )
        % {"total": rect["total"], "closed": rect["closed"], "open": rect["total"] - rect["closed"]}
    )
    if checklist["scored"]:
        lines.append(
            _(
                "（七）验收自评。按验收评分表 %(items)d 个项目自评，已评 %(scored)d 项，得分 %(score)s 分（满分 %(max)s 分）。"
            )
            % {
                "items": checklist["items"],
                "scored": checklist["scored"],
                "score": _num(checklist["score"]),
                "max": _num(checklist["max"]),
            }
        )

    problems = []
    missing_people = people["total"] - people["handed_in"]
    if missing_people > 0:
        problems.append(
            _("尚有 %(n)d 人未提交个人岗位登记表，没有做到不漏人。") % {"n": missing_people}
        )
    if posts["total"] > posts["covered"]:
        problems.append(
            _("尚有 %(n)d 个重点岗位没有查找风险点，没有做到不漏岗。")
            % {"n": posts["total"] - posts["covered"]}
        )
    if powers["total"] > powers["covered"]:
        problems.append(
            _("尚有 %(n)d 项职权没有对应的风险点，没有做到不漏项。")
            % {"n": powers["total"] - powers["covered"]}
        )
    if points["ungraded"]:
        problems.append(_("尚有 %(n)d 个风险点没有评定等级。") % {"n": points["ungraded"]})
    if measures["total"] > measures["done"]:
        problems.append(
            _("尚有 %(n)d 项防控措施没有落实到位。") % {"n": measures["total"] - measures["done"]}
        )
    top = points["top_ratio"]
    if top is not None and top > points["top_guideline"]:
        problems.append(
            _("最高等级风险点占比 %(ratio)s，高于参考上限 %(limit)s，需复核等级评定是否准确。")
            % {"ratio": _pct(top), "limit": _pct(points["top_guideline"])}
        )
    if pub["feedback"] > pub["answered"]:
        problems.append(
            _("尚有 %(n)d 条公示意见没有答复。") % {"n": pub["feedback"] - pub["answered"]}
        )
    if rect["total"] > rect["closed"]:
        problems.append(
            _("尚有 %(n)d 个问题正在整改，需跟踪销号。") % {"n": rect["total"] - rect["closed"]}
        )
    lines += ["", _("三、存在的问题")]
    if problems:
        lines += [f"{i}. {text}" for i, text in enumerate(problems, start=1)]
    else:
        lines.append(_("从系统数据看，各项工作均已完成。请结合实际补充工作中发现的不足。"))
    lines += [
        "",
        _("四、下一步工作"),
        _(
            "一是对上述问题逐项明确责任人和整改时限，按期整改销号；二是把廉政风险防控纳入日常管理，"
            "结合人员变动、职能调整和制度变化，适时修订风险点、等级和防控措施，实行动态管理；"
            "三是落实预警提醒和处置机制，定期开展“回头看”，巩固工作成效。"
        ),
        "",
        _("%(unit)s廉政风险防控工作领导小组办公室") % {"unit": campaign.unit.name},
        _date(today),
    ]
    return "\n".join(str(line) for line in lines)
