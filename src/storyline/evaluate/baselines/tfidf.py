"""``tfidf`` baseline for stories: agglomerative clustering of the articles' TF-IDF vectors.

Title and text, English stop words dropped, sublinear term frequency; average linkage on cosine
distance, merging while the distance is below :data:`DISTANCE` (fixed beforehand, not tuned on the
evaluation data: average similarity above 0.2).
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.evaluate.data import DataIssues, GoldDoc

DISTANCE = 0.8


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[str]:
    if len(docs) < 2:
        return [f"c{i}" for i in range(len(docs))]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{doc.article.title or ''}\n{doc.article.text}" for doc in docs]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    clustering = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=DISTANCE
    )
    labels = clustering.fit_predict(vectors.toarray())
    return [f"c{label}" for label in labels]
