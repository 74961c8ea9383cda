"""The plan van aanpak as a PDF to sign (issue 16): its pages carry the plan's contents."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from web_support import ClientFactory, World, session_csrf


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_the_printed_plan_shows_goals_agreements_provisions_and_consequences(
    world: World, client_for: ClientFactory, tmp_path: Path
) -> None:
    client = client_for(world, "km")
    cid = world.full_candidate
    response = client.post(
        f"/kandidaten/{cid}/plan",
        data={
            "goal": "Binnen een jaar werk in de logistiek",
            "goals": "Heftruckcertificaat halen\nSolliciteren bij drie werkgevers",
            "csrf_token": session_csrf(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(f"/kandidaten/{cid}").text
    links = re.findall(r'href="(/kandidaten/\d+/plan/\d+\.pdf)"', page)
    assert links
    pdf = client.get(links[-1])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Plan van aanpak",
        "Binnen een jaar werk in de logistiek",
        "Heftruckcertificaat halen",
        "De gemeente doet",
        "Activiteiten en data",
        "Als afspraken niet worden nagekomen",
        "Handtekening",
    ):
        assert expected in text, expected
    assert client_for(world, "km_b").get(links[-1]).status_code == 403
