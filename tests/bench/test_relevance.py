"""The relevance measure (bench/relevance.py): nDCG@10 and the zero-result rate on hand-made
rankings, the judged set's rules, and the set itself against the demo borough."""

import json
import math

import pytest

from bench import relevance
from bench.relevance import ActivityFacts, JudgedQuery, Rule, dcg, evaluate, ndcg


def judged(text="knitting", *rules, kind="plain") -> JudgedQuery:
    return JudgedQuery(text=text, kind=kind, rules=rules or (Rule(2, title=_re("^Knit")),))


def _re(pattern):
    return Rule.from_json({"grade": 1, "title": pattern}).title


# The metric --------------------------------------------------------------------------------


def test_a_perfect_ranking_scores_one():
    assert ndcg([2, 2, 1, 1, 0], [2, 2, 1, 1]) == pytest.approx(1.0)


def test_a_reversed_ranking_scores_less_than_one():
    score = ndcg([0, 1, 1, 2, 2], [2, 2, 1, 1])
    assert 0 < score < 1


def test_a_ranking_with_nothing_relevant_scores_zero():
    assert ndcg([0, 0, 0], [2, 1]) == 0.0
    assert ndcg([], [2, 1]) == 0.0


def test_grades_matter_an_exact_match_first_beats_an_acceptable_one():
    exact_first = ndcg([2, 1], [2, 1])
    acceptable_first = ndcg([1, 2], [2, 1])
    assert exact_first == pytest.approx(1.0)
    assert acceptable_first < exact_first
    # Finding only acceptable activities is worth less than finding the exact ones.
    assert ndcg([1, 1, 1], [2, 2, 2, 1, 1, 1]) < ndcg([2, 2, 2], [2, 2, 2, 1, 1, 1])


def test_gains_are_exponential_and_discounted_by_log2_of_rank():
    # (2^2 - 1)/log2(2) + (2^1 - 1)/log2(3) + 0 + (2^2 - 1)/log2(5)
    assert dcg([2, 1, 0, 2]) == pytest.approx(3 + 1 / math.log2(3) + 3 / math.log2(5))


def test_only_the_first_ten_count():
    # Eleven exact matches would be wanted; ten found in the first ten is perfect.
    assert ndcg([2] * 10 + [0] * 5, [2] * 11) == pytest.approx(1.0)
    assert ndcg([0] * 10 + [2], [2]) == 0.0


def test_a_query_with_nothing_judged_relevant_is_not_scored():
    assert ndcg([0, 0], []) is None
    assert ndcg([], [0, 0]) is None


# Rules --------------------------------------------------------------------------------------


def facts(id=1, title="Knit and natter", **kwargs) -> ActivityFacts:
    kwargs.setdefault("categories", frozenset({"knitting-and-sewing", "arts-and-crafts"}))
    return ActivityFacts(id=id, title=title, **kwargs)


def test_a_rule_holds_when_every_condition_given_holds():
    rule = Rule.from_json(
        {
            "grade": 2,
            "title": "^knit",
            "category": "arts-and-crafts",
            "access": ["step-free", "hearing-loop"],
            "outcode": "sw18",
            "cost": ["free", "pay_what_you_can"],
        }
    )
    good = facts(
        access=frozenset({"step-free", "hearing-loop", "parking"}),
        outcodes=frozenset({"SW18"}),
        cost="free",
    )
    assert rule.matches(good)
    assert not rule.matches(facts(title="Sewing café", access=good.access, outcodes=good.outcodes))
    assert not rule.matches(
        facts(access=frozenset({"step-free"}), outcodes=good.outcodes, cost="free")
    )
    assert not rule.matches(facts(access=good.access, outcodes=frozenset({"SW17"}), cost="free"))
    assert not rule.matches(facts(access=good.access, outcodes=good.outcodes, cost="paid"))
    assert not rule.matches(
        facts(categories=frozenset({"walking"}), access=good.access, outcodes=good.outcodes)
    )


def test_an_activity_gets_the_best_grade_of_the_rules_it_meets():
    query = judged(
        "knitting",
        Rule(1, categories=frozenset({"arts-and-crafts"})),
        Rule(2, title=_re("^Knit and natter")),
    )
    assert query.grade(facts()) == 2
    assert query.grade(facts(title="Sewing café")) == 1
    assert query.grade(facts(title="Choir", categories=frozenset({"music-and-singing"}))) == 0


@pytest.mark.parametrize(
    "rule",
    [
        {"grade": 3, "title": "x"},
        {"grade": 0, "title": "x"},
        {"grade": 2},
        {"grade": 2, "titel": "x"},
        {"grade": 2, "outcode": "Tooting"},
        {"grade": 2, "cost": "cheap"},
        {"grade": 2, "category": ""},
    ],
)
def test_a_rule_that_does_not_say_what_it_means_is_refused(rule):
    with pytest.raises(ValueError):
        Rule.from_json(rule)


def test_a_query_needs_a_grade_2_judgment_and_a_known_kind():
    with pytest.raises(ValueError, match="grade 2"):
        JudgedQuery.from_json(
            {"q": "x", "kind": "plain", "judgments": [{"grade": 1, "title": "x"}]}
        )
    with pytest.raises(ValueError, match="kind"):
        JudgedQuery.from_json(
            {"q": "x", "kind": "slang", "judgments": [{"grade": 2, "title": "x"}]}
        )


def test_a_query_judged_twice_is_refused(tmp_path):
    query = {"q": "knitting", "kind": "plain", "judgments": [{"grade": 2, "title": "Knit"}]}
    path = tmp_path / "queries.json"
    path.write_text(json.dumps({"queries": [query, query]}))
    with pytest.raises(ValueError, match="twice"):
        relevance.load_judged_set(path)


# Evaluating --------------------------------------------------------------------------------

ACTIVITIES = {
    1: facts(1, "Knit and natter"),
    2: facts(2, "Knit and natter"),
    3: facts(3, "Sewing café"),
    4: facts(4, "Community choir", categories=frozenset({"choirs-and-singing"})),
}
KNITTING = judged(
    "knitting",
    Rule(2, title=_re("^Knit and natter")),
    Rule(1, categories=frozenset({"knitting-and-sewing"})),
)


def test_evaluating_scores_each_query_against_the_activities_it_could_find():
    answers = {"knitting": (3, [3, 1, 2]), "choir": (0, [])}
    choir = judged("choir", Rule(2, title=_re("choir")), kind="plain")
    report = evaluate([KNITTING, choir], ACTIVITIES, lambda text: answers[text])
    knitting, found_nothing = report.outcomes
    assert knitting.grades == [1, 2, 2]
    assert knitting.judged == {2: 2, 1: 1}
    assert knitting.ndcg == pytest.approx(ndcg([1, 2, 2], [2, 2, 1]))
    assert found_nothing.ndcg == 0.0
    assert report.mean_ndcg == pytest.approx(knitting.ndcg / 2)
    assert report.zero_result_rate == 0.5
    assert [o.query.text for o in report.zero_results] == ["choir"]
    # Those that found nothing are listed apart from the worst of those that found something.
    assert [o.query.text for o in report.worst()] == ["knitting"]


def test_a_query_none_of_whose_judged_activities_is_there_is_reported_not_scored():
    swimming = judged("swimming", Rule(2, categories=frozenset({"swimming"})))
    report = evaluate([KNITTING, swimming], ACTIVITIES, lambda text: (1, [1]))
    assert [o.query.text for o in report.unscored] == ["swimming"]
    assert report.mean_ndcg == pytest.approx(report.outcomes[0].ndcg)
    lines = "\n".join(relevance.report_lines(report))
    assert "not scored" in lines and "'swimming'" in lines


def test_a_result_is_judged_by_its_own_facts_and_only_the_first_ten_are_taken():
    book_group = frozenset({"writing-and-reading-groups"})
    many = {
        i: facts(i, "Knit and natter") if i % 2 else facts(i, "Book group", categories=book_group)
        for i in range(1, 40)
    }
    report = evaluate([KNITTING], many, lambda text: (39, list(range(1, 40))))
    outcome = report.outcomes[0]
    assert outcome.grades == [2, 0] * 5
    assert outcome.ids == list(range(1, 11))


def test_the_targets_are_met_only_at_ndcg_0_8_and_no_query_without_results():
    def report_with(answers):
        return evaluate([KNITTING], ACTIVITIES, lambda text: answers)

    assert report_with((3, [1, 2, 3])).targets_met() == (True, True)
    assert report_with((1, [3])).targets_met() == (False, True)
    assert report_with((0, [])).targets_met() == (False, False)


def test_the_report_names_the_queries_that_found_nothing_and_the_figures():
    report = evaluate([KNITTING], ACTIVITIES, lambda text: (0, []))
    lines = relevance.report_lines(report)
    assert lines[0].startswith("nDCG@10") and lines[0].endswith("0.000")
    assert "100.0% (1 of 1 queries found nothing)" in lines[1]
    assert "  'knitting'" in lines


# The judged set -------------------------------------------------------------------------


def test_the_judged_set_has_at_least_80_queries_of_every_kind():
    queries = relevance.load_judged_set()
    assert len(queries) >= 80
    kinds = {q.kind for q in queries}
    assert kinds == set(relevance.KINDS)
    # The words the issue names as finding nothing today are all in the set.
    texts = {q.text for q in queries}
    named = {"lonely", "counselling", "foodbank", "english class", "wheelchair", "deaf", "bsl"}
    named |= {"over 60s", "yogga", "singin", "knitt", "gardn", "loneliness", "depression"}
    assert named <= texts


@pytest.mark.django_db
def test_the_judged_set_names_only_categories_and_features_the_directory_has():
    from assets_directory.models import AccessibilityFeature, Category

    categories = set(Category.objects.values_list("slug", flat=True))
    features = set(AccessibilityFeature.objects.values_list("slug", flat=True))
    for query in relevance.load_judged_set():
        for rule in query.rules:
            assert rule.categories <= categories, query.text
            assert rule.access <= features, query.text


# The judged set against the demo borough, through the site's search ----------------------


@pytest.mark.django_db
def test_every_judged_query_has_what_it_wants_in_the_demo_borough_and_runs_through_search(
    directory, search_index
):
    from assets_directory.demo.builder import DemoBuilder
    from bench import relevance_run
    from search.services import index_rebuild

    # The demo borough as make demo and make bench build it: the judgments are about it, so
    # this also guards the set against changes to the demo's content.
    summary = DemoBuilder(seed=2026).build()
    assert summary.activities == relevance_run.DEMO_ACTIVITIES
    index_rebuild()
    queries = relevance.load_judged_set()
    facts = relevance_run.activity_facts(relevance_run.demo_borough_ids())
    lacking = [q.text for q in queries if not any(q.grade(a) == 2 for a in facts.values())]
    assert lacking == [], "no running demo activity is what these queries want"

    report = relevance_run.evaluate(queries, facts)
    assert [o.query.text for o in report.outcomes] == [q.text for q in queries]
    assert report.unscored == []
    by_text = {o.query.text: o for o in report.outcomes}
    # Through the search page's parser and selector: the directory's own word finds its group.
    knitting = by_text["knitting"]
    assert knitting.total > 0 and knitting.titles[0] == "Knit and natter"
    assert 0 <= report.mean_ndcg <= 1


@pytest.mark.django_db
def test_the_relevance_section_runs_on_an_index_of_its_own_and_leaves_nothing(
    organisation, search_index, tmp_path, capsys
):
    from bench import relevance_run
    from search.services import index_rebuild
    from tests.factories import ActivityFactory

    ActivityFactory(parent=organisation, title="Knit and natter")
    ActivityFactory(parent=organisation, title="Community choir")
    index_rebuild()
    results = relevance_run.run(tmp_path / "relevance")
    out = capsys.readouterr().out
    assert f"== Relevance (judged set, {len(relevance.load_judged_set())} queries)" in out
    assert "-- embedded: the demo borough (2 activities, 2 running)" in out
    assert "holds only 2 of the demo borough's 400 activities" in out
    assert [r.backend for r in results] == ["embedded"]
    knitting = next(o for o in results[0].report.outcomes if o.query.text == "knitting")
    assert knitting.titles[0] == "Knit and natter"
    assert not (tmp_path / "relevance").exists()
    # The site's own backend is the configured one again.
    from search.backends import get_backend

    assert get_backend() is not None and get_backend().options == search_index.options
    summary = relevance_run.summary_lines(results)
    assert summary[0].startswith("[NOT met] judged set on the demo borough, embedded: nDCG@10")
    assert summary[1].startswith("[NOT met]") and "found nothing" in summary[1]


def test_elasticsearch_is_measured_only_when_configured(monkeypatch, tmp_path):
    from bench import relevance_run

    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.delenv("OPENSEARCH_URL", raising=False)
    assert [b.name for b in relevance_run.backends(tmp_path)] == ["embedded"]
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://localhost:9200")
    monkeypatch.setenv("ELASTICSEARCH_INDEX", "cg")
    embedded, elasticsearch = relevance_run.backends(tmp_path)
    # Its own alias: the site's index is never rebuilt by the bench.
    assert elasticsearch.setting["OPTIONS"]["index"] == "cg-relevance"
    assert elasticsearch.setting["OPTIONS"]["url"] == "http://localhost:9200"
    assert embedded.setting["OPTIONS"]["path"] == str(tmp_path / "index")
