"""The wellbeing measures the platform ships with. ONS4 is the Office for National
Statistics' four personal wellbeing questions (free to use, with the source named); the data
migration creates it from here as every team's default, and tests read the same definition."""

from __future__ import annotations

ONS4_SLUG = "ons4"

ONS4 = {
    "slug": ONS4_SLUG,
    "name": "ONS4 personal wellbeing",
    "source": "Office for National Statistics (ONS), personal wellbeing questions",
    "scale_min": 0,
    "scale_max": 10,
    "is_default": True,
    # `label` names the question in tables and in the change in words; `higher_is_better`
    # says which way is an improvement (anxiety is better when it falls).
    "questions": [
        {
            "key": "life_satisfaction",
            "label": "Life satisfaction",
            "text": "Overall, how satisfied are you with your life nowadays?",
            "higher_is_better": True,
        },
        {
            "key": "worthwhile",
            "label": "Worthwhile",
            "text": "Overall, to what extent do you feel that the things you do in your "
            "life are worthwhile?",
            "higher_is_better": True,
        },
        {
            "key": "happiness",
            "label": "Happiness",
            "text": "Overall, how happy did you feel yesterday?",
            "higher_is_better": True,
        },
        {
            "key": "anxiety",
            "label": "Anxiety",
            "text": "On a scale where 0 is 'not at all anxious' and 10 is 'completely "
            "anxious', overall, how anxious did you feel yesterday?",
            "higher_is_better": False,
        },
    ],
}
