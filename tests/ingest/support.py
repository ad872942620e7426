"""Test data and helpers shared by the reader tests."""

from __future__ import annotations

from collections.abc import Iterable

from storyline.errors import Problem
from storyline.model import Article

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Flood waters recede in Millbrook as clean-up begins | The Valley Courier</title>
  <meta name="author" content="Jane Doe">
  <meta name="description" content="Two people died when the Green River burst its banks.">
  <meta property="og:site_name" content="The Valley Courier">
  <meta property="og:title" content="Flood waters recede in Millbrook as clean-up begins">
  <meta property="og:url" content="https://courier.example/2021/03/04/millbrook-flood">
  <meta property="article:published_time" content="2021-03-04T08:15:00+00:00">
  <link rel="canonical" href="https://courier.example/2021/03/04/millbrook-flood">
</head>
<body>
  <header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav></header>
  <main>
    <article>
      <h1>Flood waters recede in Millbrook as clean-up begins</h1>
      <p class="byline">By Jane Doe, March 4, 2021</p>
      <p>Flood waters began to recede on Thursday in the river town of Millbrook, two days after the
      Green River burst its banks and forced more than 300 residents from their homes, officials said.</p>
      <p>"We have never seen the water rise this fast," Mayor Ellen Carter told reporters at a press
      conference on Wednesday evening. "Our crews worked through the night to get people out."</p>
      <p>Two people were killed when their car was swept off a bridge south of the town, according to
      the county sheriff's office. At least a dozen others were treated for minor injuries at Millbrook
      General Hospital, a spokesperson for the hospital said.</p>
      <p>The National Weather Service said more rain is expected over the weekend, although forecasters
      do not expect the river to return to Tuesday's record level of 8.2 metres.</p>
    </article>
  </main>
  <footer><p>Copyright 2021 The Valley Courier. All rights reserved.</p></footer>
</body>
</html>
"""

BROKEN_HTML = '<html><head><title>Oops</title></head><body><div class="ad"><script>var a = 1; <p>Tru'


def split(results: Iterable[Article | Problem]) -> tuple[list[Article], list[Problem]]:
    """Articles and Problems of a read, each in order."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in results:
        if isinstance(item, Problem):
            problems.append(item)
        else:
            articles.append(item)
    return articles, problems
