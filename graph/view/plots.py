"""Pictures for the notebook: the timeline of meetings and claims (matplotlib).

Kept in the package so the notebook only calls it; matplotlib is imported when a
picture is asked for, not when the package loads.
"""
from __future__ import annotations

from datetime import date

__all__ = ["timeline_figure", "counterparts_figure"]

COLOURS = {"meeting": "#ff7f0e", "claim (asserts)": "#2ca02c", "claim (denies)": "#d62728"}


def timeline_figure(rows: list[dict], width: float = 11.0):
    """A dot per dated meeting or claim (rows from :func:`graph.view.analytics.timeline`), each named,
    the axes saying what the dates are."""
    import matplotlib.pyplot as plt

    kinds = sorted({r["kind"] for r in rows}) or ["meeting"]
    fig, ax = plt.subplots(figsize=(width, 1.2 + 0.45 * len(rows)))
    for i, r in enumerate(rows):
        y = len(rows) - i
        ax.scatter(date.fromisoformat(r["date"]), y, color=COLOURS.get(r["kind"], "#7f7f7f"), s=60, zorder=3)
        ax.annotate(r["label"], (date.fromisoformat(r["date"]), y), xytext=(8, -3), textcoords="offset points",
                    fontsize=8)
    ax.set_yticks([])
    ax.set_xlabel("date: a meeting's own date; a claim's, the publication date of its article")
    ax.set_ylabel("one row per meeting or claim (newest at the bottom)")
    ax.set_title("Meetings and claims over time")
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=COLOURS.get(k, "#7f7f7f"), label=k) for k in kinds]
    ax.legend(handles=handles, loc="upper right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def counterparts_figure(rows: list[dict], width: float = 8.0):
    """A bar per person (rows from :func:`graph.view.analytics.central_people`): how many
    counterparts — people serving another country — they met, coloured by the side they serve."""
    import matplotlib.pyplot as plt

    sides = sorted({r["side"] for r in rows})
    palette = plt.get_cmap("tab10")
    colour = {s: palette(i % 10) for i, s in enumerate(sides)}
    fig, ax = plt.subplots(figsize=(width, 1.0 + 0.35 * max(len(rows), 1)))
    names = [r["person"] for r in rows][::-1]
    ax.barh(names, [r["counterparts"] for r in rows][::-1], color=[colour[r["side"]] for r in rows][::-1])
    ax.set_xlabel("counterparts met (people serving another country, at the same meeting)")
    ax.set_ylabel("person")
    ax.set_title("Who met the most counterparts")
    ax.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=colour[s], label=s or "no known side") for s in sides],
              title="side", loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig
