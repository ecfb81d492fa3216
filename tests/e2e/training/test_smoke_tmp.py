import datetime as dt, re
from tests.support.training import set_day
def test_smoke(deployed, as_user, post, fixed_clock):
    inst = as_user("inst_a")
    r = inst.get("/classes/")
    assert r.status_code == 200, r.data[:2000]
    r = inst.get("/classes/new")
    assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    data = {"class_no": "C-1", "job_type": "1.2", "training_kind": "initial", "start_date": "2026-03-02", "end_date": "2026-03-06",
            "t-0-name": "张三", "t-0-id_number": "34052419800101001X", "t-0-education": "high_school", "t-0-mobile": "13800000000", "t-0-employer": "某公司"}
    r = post(inst, "/classes/new", data)
    print(r.status_code, r.headers.get("Location"))
    if r.status_code != 302:
        print(r.get_data(as_text=True)[:5000])
    r = inst.get(r.headers["Location"])
    assert r.status_code == 200, r.get_data(as_text=True)[:5000]
    open("/tmp/class.html","w").write(r.get_data(as_text=True))
