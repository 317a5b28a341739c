"""A small multinomial Naive Bayes over character uni- and bi-grams: the fallback when no
keyword fires. Trained at load from the labelled examples; pure Python, microseconds a message."""

import math
from collections import Counter, defaultdict


def features(text):
    """Characters and character pairs, punctuation and spaces dropped."""
    chars = [c for c in text if not c.isspace() and c not in "，。！？,.!?~、；;：:"]
    return chars + [a + b for a, b in zip(chars, chars[1:], strict=False)]


class NaiveBayes:
    """fit(pairs of (text, label)); predict(text) -> (label, probability).

    A label's log-likelihood is n·log(alpha/(total+alpha·V)) plus, for each gram the label has
    seen, log((count+alpha)/alpha): only seen grams are visited, so a prediction costs a few
    dictionary probes instead of labels × grams logarithms.
    """

    def __init__(self, alpha=0.15):  # 5-fold over the tuned sets: category 90.8 % at 0.15, 87.1 % at 0.5
        self.alpha = alpha
        self.counts, self.totals, self.priors = defaultdict(Counter), Counter(), Counter()
        self.bonus, self.unseen, self.log_prior = {}, {}, {}

    def fit(self, examples):
        for text, label in examples:
            grams = features(text)
            self.counts[label].update(grams)
            self.totals[label] += len(grams)
            self.priors[label] += 1
        vocabulary = {g for counts in self.counts.values() for g in counts}
        n = sum(self.priors.values())
        for label, counts in self.counts.items():
            self.log_prior[label] = math.log(self.priors[label] / n)
            self.unseen[label] = math.log(self.alpha / (self.totals[label] + self.alpha * len(vocabulary)))
            for gram, count in counts.items():
                self.bonus.setdefault(gram, []).append((label, math.log((count + self.alpha) / self.alpha)))
        return self

    def predict(self, text):
        """The likeliest label and its probability; (None, 0.0) when no character pair of the text was
        ever seen (「阿巴阿巴」 shares single characters with 泥巴, not a word)."""
        grams = [g for g in features(text) if g in self.bonus]
        if not any(len(g) == 2 for g in grams) or not self.priors:
            return None, 0.0
        scores = {label: prior + len(grams) * self.unseen[label] for label, prior in self.log_prior.items()}
        for gram in grams:
            for label, bonus in self.bonus[gram]:
                scores[label] += bonus
        best = max(scores, key=scores.get)
        top = scores[best]
        probability = 1.0 / sum(math.exp(s - top) for s in scores.values())
        return best, probability
