"""Predictive customer lifetime value: BG/NBD (how often a client buys and when it drops out)
and Gamma-Gamma (how much it spends), fitted by maximum likelihood on the purchase history.

- `summary`: purchase occasions → one (frequency, recency, T, mean repeat spend) per client;
- `likelihoods`: the two models' log-likelihoods, written with numpy/scipy;
- `fitting`: maximum likelihood in log-parameter space;
- `predictions`: expected purchases, probability of being alive, expected spend and CLV.

None of these touch the database (the `services` module does), so each formula is tested on
the published CDNOW estimates (Fader, Hardie & Lee 2005) and on hand-computed values.
"""
