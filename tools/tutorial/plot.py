#!/usr/bin/python3
"""Draws one of the tutorial's charts from a JSON spec (figures.plot writes it): run by
Debian's python3, which has matplotlib (`make docs` installs python3-matplotlib).

  plot.py SPEC.json OUT.png

spec: {"title", "size": [w, h] inches, "panels": [{"title", "xlabel", "ylabel",
       "series": [{"label", "x": [...], "y": [...], "kind": "line"|"points"|"step",
                   "color", "marker", "size"}]}]}  (panels side by side)"""
import json, sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(spec_path, out):
    spec = json.load(open(spec_path))
    panels = spec["panels"]
    w, h = spec.get("size", [6 * len(panels), 4])
    fig, axes = plt.subplots(1, len(panels), figsize=(w, h), squeeze=False)
    for ax, p in zip(axes[0], panels):
        for s in p["series"]:
            kw = {"label": s.get("label"), "color": s.get("color")}
            kind = s.get("kind", "line")
            if kind == "points":
                ax.scatter(s["x"], s["y"], s=s.get("size", 4), marker=s.get("marker", "."), **kw)
            elif kind == "step":
                ax.step(s["x"], s["y"], where="post", linewidth=1, **kw)
            else:
                ax.plot(s["x"], s["y"], linewidth=1, marker=s.get("marker"), **kw)
        ax.set_title(p.get("title", ""), fontsize=10)
        ax.set_xlabel(p.get("xlabel", ""))
        ax.set_ylabel(p.get("ylabel", ""))
        ax.grid(True, alpha=0.3)
        if any(s.get("label") for s in p["series"]):
            ax.legend(fontsize=8, loc=p.get("legend", "best"))
    if spec.get("title"):
        fig.suptitle(spec["title"], fontsize=11)
    fig.tight_layout()
    # no timestamp in the PNG's metadata: a regeneration with the same data is the same file
    fig.savefig(out, dpi=100, metadata={"Software": None})


if __name__ == "__main__":
    main(*sys.argv[1:3])
