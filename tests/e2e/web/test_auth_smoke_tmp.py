def test_smoke(login, client, approval, open_task):
    approval("inst_a", "C-1")
    c = login("inst_a")
    r = c.get("/inbox/?tab=group")
    print(r.status_code, r.get_data(as_text=True)[:6000])
    assert r.status_code == 200
    for url in ["/account", "/inbox/?tab=mine", "/inbox/?tab=done"]:
        assert c.get(url).status_code == 200, url
