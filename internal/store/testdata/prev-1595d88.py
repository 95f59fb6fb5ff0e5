# Makes a data directory with claimmark's previous release (1595d88) through its HTTP API.
import json, sys, urllib.request, uuid
base = sys.argv[1]

def call(method, path, body=None, ifmatch=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if ifmatch:
        req.add_header("If-Match", ifmatch)
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None

t1 = ("Zélie Côté, the port's director, said the expansion would create 1,200 jobs 🚢 within five years.\n\n"
      "Tomás Reyes denied that the cooperative opposed growth: “We never asked for a cancellation.”\n\n"
      "The council proposed a six-month pause on dredging during the spawning season.")
t2 = ("The minister said inflation had fallen to 2 percent in March.\n\n"
      "Economists rejected the figure, saying core inflation was still above 3 percent.")
a1 = call("POST", "/api/articles", {"title": "Harbour talks stall", "url": "https://news.example.com/harbour", "source": "Example News", "text": t1})
a2 = call("POST", "/api/articles", {"title": "Inflation figures disputed", "source": "Example Daily", "text": t2})

def ann(art, kind, exact, **kw):
    text = art["text"]
    i = text.index(exact)
    a = {"id": str(uuid.uuid4()), "articleId": art["id"], "kind": kind,
         "target": {"quote": {"exact": exact}, "position": {"start": i, "end": i + len(exact)}}}
    a.update(kw)
    return call("POST", "/api/annotations", a)

c1 = ann(a1, "claim", "the expansion would create 1,200 jobs", speaker="Zélie Côté", note="Check against the consultants' report.", tags=["jobs", "port"])
d1 = ann(a1, "denial", "denied that the cooperative opposed growth", speaker="Tomás Reyes")
p1 = ann(a1, "proposal", "a six-month pause on dredging", speaker="the council")
c2 = ann(a2, "claim", "inflation had fallen to 2 percent", speaker="The minister",
         rating={"label": "Mostly false", "value": 2, "note": "Headline, not core."})
r2 = ann(a2, "denial", "core inflation was still above 3 percent", speaker="Economists",
         relations=[{"type": "rejects", "target": c2["id"]}])
# A speaker identity with an alias: Zélie Côté is also "the port's director".
sp = call("GET", "/api/speakers/" + c1["speakerId"])
sp["aliases"] = ["the port's director"]
call("PUT", "/api/speakers/" + sp["id"], sp)
print(json.dumps({"articles": [a1["id"], a2["id"]], "annotations": [c1["id"], d1["id"], p1["id"], c2["id"], r2["id"]]}))
