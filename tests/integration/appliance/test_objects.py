"""The object service in the real appliance: portal 6 on every worker, `show objects`."""

def test_object_service_portal_and_show_objects(appliance):
    portals = {p["portal"]: p for w in appliance.ostctl("show", "portals")["workers"] for p in w["portals"]}
    assert portals[6]["kind"] == "wildcard" and portals[6]["lazy"], portals  # OST I/O, served on the workers
    objects = appliance.ostctl("show", "objects")
    assert objects["kind"] == "memory", objects
    assert objects["objects"] == [], objects
    assert len(objects["io"]) >= 1 and objects["io"][0]["writes"] == 0, objects
