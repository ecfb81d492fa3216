"""Issue 7: the modeler's pages are for process owners and admins only, link from the process pages, and load
the bundle built from adapters/web/assets (never a CDN)."""

from __future__ import annotations

import json

from tests.support.issuance import deploy_training


def test_only_process_owners_and_admins_reach_the_modeler_pages(login, people, wiring, client):
    deploy_training(wiring)
    bureau = login("bureau")
    for path in ("/modeler/", "/modeler/certificate_issuance", "/modeler/certificate_issuance/versions",
                 "/modeler/forms/generic_approval"):
        assert bureau.get(path).status_code == 404, path
    assert "/modeler/" not in bureau.get("/processes/").get_data(as_text=True)


def test_an_admin_opens_the_modeler_from_the_process_page_and_it_loads_the_local_bundle(login, people, wiring):
    deploy_training(wiring)
    admin = login("admin")
    process_page = admin.get("/processes/certificate_issuance").get_data(as_text=True)
    assert 'href="/modeler/certificate_issuance"' in process_page and "在设计器中编辑" in process_page
    page = admin.get("/modeler/certificate_issuance").get_data(as_text=True)
    assert 'data-process="certificate_issuance"' in page
    assert "/static/build/modeler.js" in page and "/static/build/modeler-style.css" in page
    assert "http://" not in page.split("<body>")[1].split("</header>")[1] and "https://" not in page
    assert admin.get("/modeler/Not-A-Key").status_code == 404


def test_a_new_process_starts_from_a_skeleton_with_its_key_and_an_escaped_name(login, people):
    admin = login("admin")
    page = admin.get("/modeler/new?key=annual_review&name=年度<复核>").get_data(as_text=True)
    xml = json.loads(page.split('id="new-process-xml">')[1].split("</script>")[0])
    assert '<bpmn:process id="annual_review" name="年度&lt;复核&gt;"' in xml
    assert admin.get("/modeler/new?key=Bad Key").status_code == 404
