"""``only_show_if_degraded``: a component off the overview while operational, always in the API."""

from __future__ import annotations

import json

import pytest

import dom

NOW = 1795294800  # 2026-11-21 21:00 UTC
OUTAGE = """
---
title: Fax delayed
title_nb: Faks forsinket
impact: major
components: [fax]
---

## Investigating · 2026-11-21 20:00

Faxes are delayed.

::: nb
Fakser er forsinket.
:::
"""


def overview_names(html: str) -> list[str]:
    """The component names the overview lists (and the group names), in order."""
    return dom.texts(html, ".status-component__name, .status-group__name")


@pytest.fixture
def hidden_site(make_site):
    site = make_site()
    components = site.plugin["components"]
    components.append({"id": "fax", "name": "Fax", "only_show_if_degraded": True})
    components.append({"group": "Legacy", "components": [{"id": "telex", "name": "Telex", "only_show_if_degraded": True},
                                                          {"id": "pager", "name": "Pager", "only_show_if_degraded": True}]})
    site.write_config()
    return site


def test_components_shown_only_when_degraded_are_off_the_overview_while_operational_and_in_the_api(hidden_site):
    out = hidden_site.build(strict=True, epoch=NOW)
    names = overview_names((out / "index.html").read_text(encoding="utf-8"))
    assert names == ["Interact", "Engage", "Messaging", "Voice"]  # no Fax, no Legacy group with its hidden members
    assert "Fax" not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "components" / "fax" / "index.html").is_file() and (out / "components" / "fax" / "badge.svg").is_file()
    components = {c["id"]: c for c in json.loads((out / "api/v2/components.json").read_text(encoding="utf-8"))["components"]}
    assert components["fax"]["only_show_if_degraded"] is True
    assert components["interact"]["only_show_if_degraded"] is False
    assert components["legacy"]["group"] is True and components["legacy"]["only_show_if_degraded"] is True
    assert components["engage"]["only_show_if_degraded"] is False


def test_a_hidden_component_appears_on_the_overview_while_an_incident_degrades_it(hidden_site):
    hidden_site.add("2026-11-21-fax-delayed.md", OUTAGE)
    out = hidden_site.build(strict=True, epoch=NOW)
    for page in ("index.html", "nb/index.html"):
        names = overview_names((out / page).read_text(encoding="utf-8"))
        assert names[:2] == ["Interact", "Engage"] and "Fax" in names and "Telex" not in names
    later = hidden_site.build(strict=False, epoch=NOW + 14 * 86400)  # unresolved for two weeks: still degraded, still shown
    assert "Fax" in overview_names((later / "index.html").read_text(encoding="utf-8"))


def test_only_show_if_degraded_must_be_true_or_false(hidden_site):
    from test_cli import run

    hidden_site.plugin["components"][-2]["only_show_if_degraded"] = "sometimes"
    hidden_site.write_config()
    done = run(hidden_site.root, "check")
    assert done.returncode == 2
    # The option's path in mkdocs.yml names the component: the third entry of `components`.
    assert "plugins.status.components[2].only_show_if_degraded: must be true or false, not 'sometimes'" in done.stderr
