"""Plan-level resources and shared projects (seed 001's "推荐资源汇总", "必读经典论文", seed 002's
projects that span topics): listed once, on a page of their own that the progress page links
to, not copied into every topic."""

from __future__ import annotations

import datetime as dt

from tracker import dashboard
from tracker.ledger import Ledger, TopicFact

from test_format_11 import roadmap

PLAN = """
stages:
  - id: a
    title: Foundations
    weeks: 2
    topics: [{id: t, title: Transformers, steps: [x]}, {id: u, title: RAG, steps: [y]}]
resources:
  - {title: Datawhale, url: "https://datawhale.club/", group: Platforms, stages: [a]}
  - {title: Attention Is All You Need, url: "https://arxiv.org/abs/1706.03762", group: Papers,
     note: the paper to read first}
  - {title: Hugging Face course, url: "https://huggingface.co/learn", group: Platforms}
projects:
  - id: rag
    title: RAG system
    goal: A question-answering system over your notes
    topics: [t, u]
    deliverable: a repository with a README
"""


def build(body: str) -> dict[str, str]:
    plan = roadmap(body)
    ledger = Ledger(topics={"t": TopicFact(3, True, False, None, 0, 1),
                            "u": TopicFact(4, True, False, None, 0, 1)})
    return dashboard.build(plan, ledger, {}, dt.date(2026, 12, 1),
                           repo_url="https://github.com/me/study")


def test_the_plan_s_resources_and_projects_are_one_page_linked_from_the_progress_page() -> None:
    files = build(PLAN)
    page = files["dashboard/resources.md"]
    lines = page.splitlines()
    # Grouped under their headings in the order first met, each once, as a link.
    assert lines.index("### Platforms") < lines.index("### Papers")
    assert "- [Datawhale](https://datawhale.club/) · Foundations" in lines
    assert ("- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) · the paper to "
            "read first") in lines
    assert page.count("Datawhale") == 1
    # A project names its goal, its topics (as issues) and what it delivers.
    assert "### 🛠️ RAG system" in lines
    topics = lines.index("Topics:")
    assert lines[topics + 2:topics + 4] == ["- [Transformers](https://github.com/me/study/issues/3)",
                                            "- [RAG](https://github.com/me/study/issues/4)"]
    assert "📦 a repository with a README" in page
    assert "(dashboard/resources.md)" in files["README.md"]


def test_a_plan_without_them_has_no_such_page_and_no_link() -> None:
    files = build(PLAN.split("resources:")[0])
    assert "dashboard/resources.md" not in files
    assert "resources.md" not in files["README.md"]
