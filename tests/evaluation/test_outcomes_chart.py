"""The before/after chart of the outcomes page: figures in its label, no bar for small cells."""

import datetime
import re
from html import unescape
from types import SimpleNamespace

from django.urls import reverse

from entrepairs.evaluation.charts import paired_chart
from entrepairs.evaluation.models import Campaign
from entrepairs.evaluation.outcomes import paired_results

from .factories import campaign, consenting_person
from .test_outcomes import PERIOD, TODAY, linked

URL = reverse("evaluation:outcomes") + f"?start={PERIOD[0].isoformat()}&end={TODAY.isoformat()}"


def row(n, before, after, small, label="Score", bounds=(0, 100)):
    return {
        "version": SimpleNamespace(title="WHO-5"),
        "label": label,
        "n": n,
        "mean_before": before,
        "mean_after": after,
        "small": small,
        "bounds": bounds,
    }


def chart_of(page: str) -> str:
    match = re.search(r"<svg[^>]*aria-label=.*?</svg>", page, re.S)
    assert match, "pas de graphique sur la page"
    return match.group(0)


def aria(svg: str) -> str:
    return unescape(re.search(r'aria-label="([^"]*)"', svg).group(1))


def followed_up(world, count, before=10, after=13):
    """``count`` persons with a WHO-5 at the start and after some months (percent ×4)."""
    camp = campaign(world, code="who-5", mode=Campaign.Mode.LINKED)
    for _ in range(count):
        person = consenting_person(world)
        linked(world, person, camp, "start", before, days_ago=200)
        linked(world, person, camp, "months", after, days_ago=20)


def test_bars_and_figures_for_a_large_enough_group():
    svg = paired_chart([row(12, 40.0, 52.5, small=False, label="Pourcentage")])
    assert 'role="img"' in svg
    label = aria(svg)
    assert "Pourcentage : avant 40,0, après 52,5 (n = 12)" in label
    bars = re.findall(r'<rect x="70" y="[\d.]+" width="([\d.]+)"', svg)
    # 0–100 over 590 px: 40 → 236 px, 52.5 → 309.75 px
    assert [float(w) for w in bars] == [236.0, 309.8]
    assert ">Avant<" in svg and ">Après<" in svg


def test_no_bar_for_a_small_group():
    svg = paired_chart(
        [row(12, 40.0, 52.5, small=False, label="Grand"), row(4, 45.0, 53.0, small=True)]
    )
    assert svg.count("<rect") == 2  # only the large row's two bars
    assert "effectif trop faible" in svg
    label = aria(svg)
    assert "Score : effectif trop faible (n = 4), pas de barre." in label
    assert "45,0" not in label and "53,0" not in label


def test_each_score_on_its_own_scale():
    svg = paired_chart([row(11, 12.5, 25.0, small=False, bounds=(0, 25))])
    widths = [float(w) for w in re.findall(r'<rect x="70" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths == [295.0, 590.0]
    assert ">0<" in svg and ">25<" in svg


def test_no_chart_without_paired_answers(world):
    assert paired_chart([]) == ""
    page = world.client("coordinator_a").get(URL).content.decode()
    assert 'role="img"' not in page


def test_paired_results_carry_the_scale_range(world):
    followed_up(world, 2)
    rows = {r["label"]: r for r in paired_results([world.org_a.pk], None, *PERIOD)}
    assert rows["Score brut (0 à 25)"]["bounds"] == (0, 25)
    assert rows["Score en pourcentage (0 à 100)"]["bounds"] == (0, 100)


def test_coordinator_sees_the_chart_next_to_the_table(world):
    followed_up(world, 11)  # 40 % before, 52 % after
    page = world.client("coordinator_a").get(URL).content.decode()
    label = aria(chart_of(page))
    assert "Score en pourcentage (0 à 100) : avant 40,0, après 52,0 (n = 11)" in label
    assert "<caption>" in page and "Changements appariés avant / après" in page


def test_small_group_inside_the_organisation_has_no_bar(world):
    followed_up(world, 4)
    page = world.client("coordinator_a").get(URL).content.decode()
    svg = chart_of(page)
    assert "<rect" not in svg
    assert "effectif trop faible (n = 4)" in aria(svg)


def test_observers_see_no_chart_row_for_small_groups(world):
    followed_up(world, 4)
    page = world.client("regional_observer").get(URL).content.decode()
    assert 'role="img"' not in page and "Score en pourcentage" not in page


def test_observers_see_large_groups(world):
    """Observers read the published (protected) figures only: the chart is drawn from them
    once the period is published, never from the live answers."""
    from entrepairs.observatory.periods import Period
    from entrepairs.observatory.publishing import publish

    followed_up(world, 11)
    observer = world.client("national_observer")
    assert 'role="img"' not in observer.get(URL).content.decode()  # nothing published yet
    period = Period.year((TODAY - datetime.timedelta(days=20)).year)
    publish(period, indicators=["who5_avant_apres"])
    page = observer.get(reverse("evaluation:outcomes") + f"?period={period.code}")
    assert "avant 40,0, après 52,0 (n = 11)" in aria(chart_of(page.content.decode()))


def test_wrong_role_and_bad_period(world):
    assert world.client("peer_a").get(URL).status_code == 403
    page = world.client("coordinator_a").get(
        reverse("evaluation:outcomes") + "?start=2026-05-01&end=2025-01-01"
    )
    assert page.status_code == 200
    assert 'role="img"' not in page.content.decode()


def test_other_organisation_answers_are_not_charted(world):
    followed_up(world, 11)
    page = world.client("coordinator_b").get(URL).content.decode()
    assert 'role="img"' not in page
