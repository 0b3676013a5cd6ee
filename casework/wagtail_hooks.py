from django.utils.formats import date_format
from wagtail import hooks

from matching.sections import EXPORT_HOOK, HOOK, ExportPart, RecordSection
from matching.selectors.records import Entry

from .models import WellbeingScore
from .selectors import wellbeing_history


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
