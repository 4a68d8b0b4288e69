"""Cohort statistics against values worked out by hand, and the anonymity rule."""

from __future__ import annotations

import pytest

from pvkit.report.response import check_response
from pvkit.report.statistics import MIN_GROUP, distribution, mean, shuffled, summarise
from tests.report.conftest import SMALL_SET

# Worked out by hand from SMALL_SET (four responses):
#   useful       5, 4, 3, 4   -> n 4, mean 4.0,  counts 1..5 = 0 0 1 2 1
#   relevant     4, 4, 5      -> n 3, mean 13/3, counts      = 0 0 0 2 1
#   facilitation 3, 5         -> n 2: suppressed
#   states.1 (before, now) (2,4) (3,4) (1,5) (2,3) -> n 4, before 2.0, now 4.0, change +2.0,
#            before counts 1 2 1 0 0, now counts 0 0 1 2 1
#   close.1  (1,3) (2,2); the third gave "now" only -> n 2 paired: suppressed
#   knowledge 4, 3, 2 of 4    -> n 3, mean 3.0, counts 0..4 = 0 0 1 1 1
#   comments "best": Alpha, Bravo, Charlie -> shown; "change": Whisky, X-ray -> suppressed


@pytest.fixture
def summary(forms):
    responses = [check_response(data, forms) for data in SMALL_SET]
    return summarise(responses, forms["mini"])


def test_mean_and_distribution_helpers():
    """mean() and distribution() on a tiny list; no values give no mean."""
    assert mean([1, 2, 4]) == pytest.approx(7 / 3)
    assert mean([]) is None
    assert distribution([1, 3, 3, 5], 1, 5) == (1, 0, 2, 0, 1)


def test_n_counts_every_response(summary):
    """n is the number of responses."""
    assert summary.n == 4


def test_reaction_means_and_distributions(summary):
    """Reaction items: n, mean and counts per rating, as worked out by hand."""
    useful, relevant, _ = summary.reactions
    assert (useful.n, useful.mean, useful.counts) == (4, 4.0, (0, 0, 1, 2, 1))
    assert (relevant.n, relevant.counts) == (3, (0, 0, 0, 2, 1))
    assert relevant.mean == pytest.approx(13 / 3)


def test_objective_uses_paired_ratings(summary):
    """Before and now means use the responses that rated both."""
    states = summary.objectives[0]
    assert states.objective.id == "states.1" and states.n == 4
    assert (states.before_mean, states.now_mean, states.change) == (2.0, 4.0, 2.0)
    assert (states.before_counts, states.now_counts) == ((1, 2, 1, 0, 0), (0, 0, 1, 2, 1))


def test_knowledge_check_distribution(summary):
    """Knowledge-check scores: n, mean, and how many scored 0..out_of."""
    k = summary.knowledge
    assert (k.quiz, k.out_of, k.n, k.mean, k.counts) == ("quiz-mini-check", 4, 3, 3.0, (0, 0, 1, 1, 1))


def test_groups_of_fewer_than_three_are_suppressed(summary):
    """An item with 2 answers, an objective with 2 pairs and a question with 2 comments show nothing."""
    facilitation = summary.reactions[2]
    close = summary.objectives[1]
    change = summary.comments[1]
    assert MIN_GROUP == 3
    assert (facilitation.suppressed, facilitation.mean, facilitation.counts) == (True, None, ())
    assert (close.suppressed, close.before_mean, close.now_counts, close.change) == (True, None, (), None)
    assert (change.suppressed, change.comments, change.n) == (True, (), 2)
    assert summary.suppressed == 3


def test_three_comments_are_shown(summary):
    """A free-text question with three answers lists all three."""
    best = summary.comments[0]
    assert not best.suppressed and sorted(best.comments) == ["Alpha", "Bravo", "Charlie"]


def test_two_responses_suppress_everything(forms):
    """With only two responses, every group is suppressed, comments included."""
    responses = [check_response(data, forms) for data in SMALL_SET[:2]]
    s = summarise(responses, forms["mini"])
    groups = [*s.reactions, *s.objectives, *s.comments, s.knowledge]
    assert all(g.suppressed for g in groups)
    assert all(c.comments == () for c in s.comments)


def test_comment_order_does_not_follow_input_order():
    """Shuffled comments depend only on which comments there are, never on the order they came in."""
    texts = [f"comment {i}" for i in range(12)]
    order = shuffled(texts)
    assert shuffled(list(reversed(texts))) == order
    assert sorted(order) == sorted(texts) and list(order) != texts


def test_module_subset_limits_the_objectives(forms):
    """Only the cohort's modules are reported; ratings of other modules are counted as left out."""
    responses = [check_response(data, forms) for data in SMALL_SET]
    s = summarise(responses, forms["mini"], ["states"])
    assert [o.objective.id for o in s.objectives] == ["states.1"]
    assert s.outside_modules == 3
