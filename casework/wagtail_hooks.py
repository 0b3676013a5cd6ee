from django.urls import reverse
from django.utils.formats import date_format
from wagtail import hooks

from matching.sections import (
    EXPORT_HOOK,
    HOOK,
    SUPPORT_LINKS_HOOK,
    ExportPart,
    RecordSection,
)
from matching.selectors.records import Entry

from .models import Case, CaseNote, WellbeingScore
from .selectors import wellbeing_history


@hooks.register(SUPPORT_LINKS_HOOK)
def caseload_link():
    return ("Caseload", reverse("casework:caseload"))


@hooks.register(EXPORT_HOOK)
def case_export(person):
    """The person's case and notes, for their export."""
    case = Case.objects.filter(person=person).select_related("link_worker").first()
    notes = list(CaseNote.objects.filter(person=person).select_related("written_by"))
    if case is None and not notes:
        return None
    data = {
        "stage": case.get_stage_display() if case else None,
        "closed_reason": case.get_closed_reason_display() if case and case.closed_reason else None,
        "last_contact_on": case.last_contact_on.isoformat()
        if case and case.last_contact_on
        else None,
        "next_step": case.next_step if case else "",
        "follow_up_on": case.follow_up_on.isoformat() if case and case.follow_up_on else None,
        "notes": [
            {
                "written_at": n.written_at.isoformat(),
                "by": (n.written_by.get_full_name() or n.written_by.get_username())
                if n.written_by
                else None,
                "text": n.text,
            }
            for n in notes
        ],
    }
    entries = [
        Entry(
            heading="Where it stands",
            rows=[
                ("Stage", data["stage"] or "New"),
                ("Why it closed", data["closed_reason"] or "Not closed"),
                ("Last contact", data["last_contact_on"] or "None recorded"),
                ("Next step", data["next_step"] or "Not set"),
                ("Follow up on", data["follow_up_on"] or "Not set"),
            ],
        ),
        Entry(
            heading="Notes",
            items=[
                f"{date_format(n.written_at, 'j F Y')}"
                + (f", {item['by']}" if item["by"] else "")
                + f": {n.text}"
                for n, item in zip(notes, data["notes"], strict=True)
            ],
        ),
    ]
    return ExportPart(key="casework", heading="Casework", data=[data], entries=entries)


@hooks.register(HOOK)
def wellbeing_section(request, person):
    """The record page's "Wellbeing": the latest score, its change since the first, and the
    way to the page that records a new one."""
    history = wellbeing_history(person)
    return RecordSection(
        "casework/includes/person_wellbeing.html",
        {"person": person, "latest": history[0] if history else None},
    )


@hooks.register(EXPORT_HOOK)
def wellbeing_export(person):
    """Every wellbeing score, with the questions in full, for the person's export."""
    scores = list(
        WellbeingScore.objects.filter(person=person).select_related("measure", "recorded_by")
    )
    data = [
        {
            "measure": s.measure.name,
            "source": s.measure.source,
            "taken_on": s.taken_on.isoformat(),
            "occasion": s.get_occasion_display(),
            "scale": f"{s.measure.scale_min} to {s.measure.scale_max}",
            "answers": [
                {"question": q.text, "answer": s.answers.get(q.key)}
                for q in s.measure.question_list
            ],
            "recorded_by": (s.recorded_by.get_full_name() or s.recorded_by.get_username())
            if s.recorded_by
            else None,
        }
        for s in scores
    ]
    entries = [
        Entry(
            heading=f"{d['measure']}, {date_format(s.taken_on, 'j F Y')} "
            f"({d['occasion'][:1].lower() + d['occasion'][1:]})",
            rows=[
                *((a["question"], f"{a['answer']} (of {d['scale']})") for a in d["answers"]),
                ("Recorded by", d["recorded_by"] or "Not known"),
            ],
        )
        for s, d in zip(scores, data, strict=True)
    ]
    return ExportPart(key="wellbeing", heading="Wellbeing", data=data, entries=entries)


@hooks.register(HOOK)
def case_section(request, person):
    """The record page's "Casework": stage, link worker, next step, and the way to notes
    and hand-over. Read only: a case is made when first saved on its own page."""
    case = Case.objects.filter(person=person).select_related("link_worker").first()
    return RecordSection(
        "casework/includes/person_case.html",
        {
            "person": person,
            "case": case or Case(person=person, link_worker=person.created_by),
            "notes": person.case_notes.count(),
        },
    )
