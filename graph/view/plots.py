"""Pictures for the notebook: the timeline of meetings and claims (matplotlib).

Kept in the package so the notebook only calls it; matplotlib is imported when a
picture is asked for, not when the package loads.
"""
from __future__ import annotations

from datetime import date

__all__ = ["timeline_figure"]

COLOURS = {"meeting": "#ff7f0e", "claim (asserts)": "#2ca02c", "claim (denies)": "#d62728"}


def timeline_figure(rows: list[dict], width: float = 11.0):
    """A dot per dated meeting or claim (rows from :func:`graph.view.analytics.timeline`), labelled."""
    import matplotlib.pyplot as plt

    kinds = sorted({r["kind"] for r in rows}) or ["meeting"]
    fig, ax = plt.subplots(figsize=(width, 1.2 + 0.45 * len(rows)))
    for i, r in enumerate(rows):
        y = len(rows) - i
        ax.scatter(date.fromisoformat(r["date"]), y, color=COLOURS.get(r["kind"], "#7f7f7f"), s=60, zorder=3)
        ax.annotate(r["label"], (date.fromisoformat(r["date"]), y), xytext=(8, -3), textcoords="offset points",
                    fontsize=8)
    ax.set_yticks([])
    ax.set_title("Meetings and claims over time")
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=COLOURS.get(k, "#7f7f7f"), label=k) for k in kinds]
    ax.legend(handles=handles, loc="upper right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
