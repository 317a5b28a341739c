"""A small multinomial Naive Bayes over character uni- and bi-grams: the fallback when no
keyword fires. Trained at load from the labelled examples; pure Python, microseconds a message."""

import math
from collections import Counter, defaultdict


def features(text):
    """Characters and character pairs, punctuation and spaces dropped."""
    chars = [c for c in text if not c.isspace() and c not in "，。！？,.!?~、；;：:"]
    return chars + [a + b for a, b in zip(chars, chars[1:], strict=False)]


class NaiveBayes:
    """fit(pairs of (text, label)); predict(text) -> (label, probability)."""

    def __init__(self, alpha=0.5):
        self.alpha = alpha
        self.counts, self.totals, self.priors = defaultdict(Counter), Counter(), Counter()
        self.vocabulary = set()

    def fit(self, examples):
        for text, label in examples:
            grams = features(text)
            self.counts[label].update(grams)
            self.totals[label] += len(grams)
            self.priors[label] += 1
            self.vocabulary.update(grams)
        return self

    def predict(self, text):
        grams = [g for g in features(text) if g in self.vocabulary]
        if not grams or not self.priors:
            return None, 0.0
        n, v = sum(self.priors.values()), len(self.vocabulary)
        scores = {}
        for label, prior in self.priors.items():
            denominator = math.log(self.totals[label] + self.alpha * v)
            scores[label] = math.log(prior / n) + sum(
                math.log(self.counts[label][g] + self.alpha) - denominator for g in grams)
        best = max(scores, key=scores.get)
        top = scores[best]
        probability = 1.0 / sum(math.exp(s - top) for s in scores.values())
        return best, probability
